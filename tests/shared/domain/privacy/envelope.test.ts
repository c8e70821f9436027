import { describe, expect, it } from 'vitest';
import { decryptText, encryptText } from '#domain/privacy/index.js';
import { MemoryDataKeys } from '../../../support/in-memory-ports.js';

describe('envelope encryption of free text', () => {
  it('round-trips Dutch and Frisian text', async () => {
    const keys = new MemoryDataKeys();
    const text = 'Werkt in de kas bij Súdwest-Fryslân; één kamer, zes mensen.';
    expect(await decryptText(await encryptText(text, keys), keys)).toBe(text);
  });

  it('leaves no trace of the text in what it stores', async () => {
    const sealed = await encryptText('Naam: Piet Jansen', new MemoryDataKeys());
    expect(JSON.stringify(sealed)).not.toContain('Piet');
    expect(sealed).toMatchObject({ alg: 'AES-256-GCM', keyId: 'memory-1' });
  });

  it('uses a fresh data key and IV each time', async () => {
    const keys = new MemoryDataKeys();
    const [a, b] = [await encryptText('zelfde', keys), await encryptText('zelfde', keys)];
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(a.encryptedDataKey).not.toBe(b.encryptedDataKey);
  });

  it('refuses a tampered ciphertext', async () => {
    const keys = new MemoryDataKeys();
    const sealed = await encryptText('geheim', keys);
    const flipped = Buffer.from(sealed.ciphertext, 'base64');
    flipped[0]! ^= 1;
    await expect(decryptText({ ...sealed, ciphertext: flipped.toString('base64') }, keys)).rejects.toThrow();
  });
});
