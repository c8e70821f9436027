import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileDataKeyProvider, FilePseudonymKeyProvider, newKeyFile } from '#adapters/local/file-key-material.js';

const dir = mkdtempSync(join(tmpdir(), 'keys-'));
const write = (name: string, content: object) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
};

describe('file key material', () => {
  it('reads the pseudonymisation key with its id', async () => {
    const key = await new FilePseudonymKeyProvider(write('p.json', newKeyFile('p-1'))).current();
    expect(key.keyId).toBe('p-1');
    expect(key.secret).toHaveLength(32);
  });

  it('wraps a data key so that only the wrapping key unwraps it', async () => {
    const provider = new FileDataKeyProvider(write('e.json', newKeyFile('e-1')));
    const dataKey = await provider.generateDataKey();
    expect(Buffer.from(dataKey.encrypted).includes(Buffer.from(dataKey.plaintext))).toBe(false);
    expect(Buffer.from(await provider.decryptDataKey('e-1', dataKey.encrypted))).toEqual(Buffer.from(dataKey.plaintext));
    const other = new FileDataKeyProvider(write('e2.json', newKeyFile('e-1')));
    await expect(other.decryptDataKey('e-1', dataKey.encrypted)).rejects.toThrow();
  });

  it('refuses a pseudonymisation key shorter than 32 bytes', async () => {
    await expect(new FilePseudonymKeyProvider(write('bad.json', { keyId: 'x', secret: 'c2hvcnQ=' })).current()).rejects.toThrow(/at least 32 bytes/);
  });

  it('refuses a wrapping key that is not exactly 32 bytes', async () => {
    const provider = new FileDataKeyProvider(write('long.json', { keyId: 'x', secret: Buffer.alloc(48).toString('base64') }));
    await expect(provider.generateDataKey()).rejects.toThrow(/32-byte/);
  });
});
