import { DecryptCommand, GenerateDataKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { DataKey, DataKeyProvider } from '#domain/privacy/index.js';

// Bound into every data key, so a wrapped key taken elsewhere cannot be unwrapped for another purpose.
const ENCRYPTION_CONTEXT = { purpose: 'meldroute:signal-description' };

/**
 * Data keys for envelope encryption from KMS: one AES-256 key per text, its plaintext never leaving
 * the process, its wrapped form stored beside the ciphertext. Intake needs only kms:GenerateDataKey.
 */
export class KmsDataKeyProvider implements DataKeyProvider {
  constructor(
    private readonly kms: Pick<KMSClient, 'send'>,
    private readonly keyId: string,
  ) {}

  async generateDataKey(): Promise<DataKey> {
    const out = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256', EncryptionContext: ENCRYPTION_CONTEXT }));
    if (!out.Plaintext || !out.CiphertextBlob || !out.KeyId) throw new Error('KMS returned no data key');
    return { keyId: out.KeyId, plaintext: out.Plaintext, encrypted: out.CiphertextBlob };
  }

  async decryptDataKey(keyId: string, encrypted: Uint8Array): Promise<Uint8Array> {
    const out = await this.kms.send(new DecryptCommand({ KeyId: keyId, CiphertextBlob: encrypted, EncryptionContext: ENCRYPTION_CONTEXT }));
    if (!out.Plaintext) throw new Error('KMS returned no plaintext');
    return out.Plaintext;
  }
}
