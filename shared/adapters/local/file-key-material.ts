import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { newKeyMaterialJson, parseKeyMaterial } from '#adapters/secrets-manager/key-material-format.js';
import type { DataKey, DataKeyProvider, PseudonymKey, PseudonymKeyProvider } from '#domain/privacy/index.js';

/**
 * Key material kept in files, for running on one machine: the pseudonymisation secret and a key that
 * wraps data keys (the role KMS plays on AWS). The files are made once, outside the code.
 */
const readKeyFile = (path: string, exactBytes?: number) => parseKeyMaterial(readFileSync(path, 'utf8'), path, exactBytes);

export function newKeyFile(keyId: string): { keyId: string; secret: string } {
  return JSON.parse(newKeyMaterialJson(keyId, randomBytes(32))) as { keyId: string; secret: string };
}

export class FilePseudonymKeyProvider implements PseudonymKeyProvider {
  private key: ReturnType<typeof readKeyFile> | undefined;
  constructor(private readonly path: string) {}

  async current(): Promise<PseudonymKey> {
    this.key ??= readKeyFile(this.path);
    return { keyId: this.key.keyId, secret: this.key.secret };
  }

  async previous(): Promise<PseudonymKey[]> {
    this.key ??= readKeyFile(this.path);
    return this.key.previous ?? [];
  }
}

export class FileDataKeyProvider implements DataKeyProvider {
  private wrappingKey: { keyId: string; secret: Buffer } | undefined;
  constructor(private readonly path: string) {}

  private load() {
    this.wrappingKey ??= readKeyFile(this.path, 32);
    return this.wrappingKey;
  }

  async generateDataKey(): Promise<DataKey> {
    const { keyId, secret } = this.load();
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', secret, iv);
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId, plaintext, encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
  }

  async decryptDataKey(keyId: string, encrypted: Uint8Array): Promise<Uint8Array> {
    const { keyId: current, secret } = this.load();
    if (keyId !== current) throw new Error(`data key was wrapped by unknown key ${keyId}`);
    const bytes = Buffer.from(encrypted);
    const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  }
}
