import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KmsDataKeyProvider } from '#adapters/kms/data-key-provider.js';
import { FileDataKeyProvider, FilePseudonymKeyProvider } from '#adapters/local/file-key-material.js';
import { SecretsManagerPseudonymKeyProvider } from '#adapters/secrets-manager/pseudonym-key.js';
import { intakePorts } from '../../../functions/lib/dependencies.js';

beforeEach(() => {
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('SIGNAL_QUEUE_URL', 'http://localhost/queue');
  vi.stubEnv('INTAKE_CLAIMS_TABLE', 'claims');
  vi.stubEnv('PSEUDONYM_SECRET_ARN', '');
  vi.stubEnv('ENVELOPE_KEY_ARN', '');
  vi.stubEnv('LOCAL_KEY_DIR', '');
});
afterEach(() => vi.unstubAllEnvs());

describe('intakePorts key material', () => {
  it('reads the secret from Secrets Manager and data keys from KMS when the stack names them', () => {
    vi.stubEnv('PSEUDONYM_SECRET_ARN', 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:s');
    vi.stubEnv('ENVELOPE_KEY_ARN', 'arn:aws:kms:eu-central-1:111122223333:key/k');
    const ports = intakePorts();
    expect(ports.pseudonymKeys).toBeInstanceOf(SecretsManagerPseudonymKeyProvider);
    expect(ports.dataKeys).toBeInstanceOf(KmsDataKeyProvider);
  });

  it('reads the key files of the local stack otherwise', () => {
    vi.stubEnv('LOCAL_KEY_DIR', '/tmp/keys');
    const ports = intakePorts();
    expect(ports.pseudonymKeys).toBeInstanceOf(FilePseudonymKeyProvider);
    expect(ports.dataKeys).toBeInstanceOf(FileDataKeyProvider);
  });

  it('names the missing half when only one of the AWS keys is configured, rather than falling back to files', () => {
    vi.stubEnv('PSEUDONYM_SECRET_ARN', 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:s');
    vi.stubEnv('LOCAL_KEY_DIR', '/tmp/keys');
    expect(() => intakePorts()).toThrow(/ENVELOPE_KEY_ARN/);
  });
});
