import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerPseudonymKeyProvider } from '#adapters/secrets-manager/pseudonym-key.js';

const secretsManager = mockClient(SecretsManagerClient);
// What CDK's generateSecretString stores: a template with keyId, and 64 generated alphanumerics.
const generated = JSON.stringify({ keyId: 'pseudonym-1', secret: `${'aB3'.repeat(21)}x` });
const provider = () => new SecretsManagerPseudonymKeyProvider(new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) }), 'arn:secret', 300);
beforeEach(() => secretsManager.reset());

describe('SecretsManagerPseudonymKeyProvider', () => {
  it('reads the key id and at least 256 bits of secret from the generated secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: generated });
    const key = await provider().current();
    expect(key.keyId).toBe('pseudonym-1');
    expect(key.secret.length).toBeGreaterThanOrEqual(32);
  });

  it('asks Secrets Manager once and answers later calls from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: generated });
    const keys = provider();
    await keys.current();
    await keys.current();
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]!.args[0].input.SecretId).toBe('arn:secret');
  });

  it('refuses a secret too short to be a key, naming the secret but not its value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ keyId: 'k', secret: 'c2hvcnQ=' }) });
    const failure = await provider()
      .current()
      .catch((error: Error) => error);
    expect(String(failure)).toMatch(/secret arn:secret: expected/);
    expect(String(failure)).not.toContain('c2hvcnQ=');
  });
});
