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

describe('a rotated pseudonymisation key', () => {
  it('gives the new key as current and keeps the old ones for matching only', async () => {
    const old = newKeyFile('p-1');
    const path = write('rotated.json', { ...newKeyFile('p-2'), previous: [old] });
    const provider = new FilePseudonymKeyProvider(path);
    expect((await provider.current()).keyId).toBe('p-2');
    expect(Object.keys(await provider.current())).toEqual(['keyId', 'secret']);
    expect((await provider.previous()).map((k) => [k.keyId, Buffer.from(k.secret).toString('base64')])).toEqual([['p-1', old.secret]]);
  });

  it('refuses a previous key that is too short, or a previous that is not a list', async () => {
    await expect(
      new FilePseudonymKeyProvider(write('bad1.json', { ...newKeyFile('p-2'), previous: [{ keyId: 'p-1', secret: 'c2hvcnQ=' }] })).current(),
    ).rejects.toThrow(/previous/);
    await expect(new FilePseudonymKeyProvider(write('bad2.json', { ...newKeyFile('p-2'), previous: 'p-1' })).current()).rejects.toThrow(/previous/);
  });
});
