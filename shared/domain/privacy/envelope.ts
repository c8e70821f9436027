import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { EncryptedText } from '#domain/signal/index.js';
import type { DataKeyProvider } from './ports.js';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/** Envelope encryption: a fresh data key per text, itself kept only in its wrapped form. */
export async function encryptBytes(plaintext: Uint8Array, keys: DataKeyProvider): Promise<EncryptedText> {
  const dataKey = await keys.generateDataKey();
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey.plaintext, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  dataKey.plaintext.fill(0);
  return {
    alg: 'AES-256-GCM',
    keyId: dataKey.keyId,
    encryptedDataKey: b64(dataKey.encrypted),
    iv: b64(iv),
    ciphertext: b64(ciphertext),
    tag: b64(cipher.getAuthTag()),
  };
}

export async function decryptBytes(sealed: EncryptedText, keys: DataKeyProvider): Promise<Buffer> {
  const dataKey = await keys.decryptDataKey(sealed.keyId, Buffer.from(sealed.encryptedDataKey, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', dataKey, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
}

export const encryptText = (plaintext: string, keys: DataKeyProvider) => encryptBytes(Buffer.from(plaintext, 'utf8'), keys);

export async function decryptText(sealed: EncryptedText, keys: DataKeyProvider): Promise<string> {
  return (await decryptBytes(sealed, keys)).toString('utf8');
}
