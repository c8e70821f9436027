import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileRawMailStore } from '#adapters/local/file-raw-mail-store.js';
import { MemoryDataKeys } from '../../../support/in-memory-ports.js';

const location = { bucket: 'meldroute-mail', key: 'inbound/abc' };

describe('FileRawMailStore', () => {
  it('keeps a message only encrypted on disk and gives back its exact bytes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mail-store-'));
    const store = new FileRawMailStore(root, new MemoryDataKeys());
    const raw = Buffer.from('Subject: x\r\n\r\nNaam betrokkene: Anna Nowak \xe9', 'latin1');
    await store.put(location, raw);
    const onDisk = readFileSync(join(root, 'meldroute-mail', 'inbound', 'abc'), 'utf8');
    expect(onDisk).not.toContain('Anna');
    expect(Buffer.from((await store.get(location))!).equals(raw)).toBe(true);
  });

  it('answers undefined for a message that is gone, and deletes idempotently', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mail-store-'));
    const store = new FileRawMailStore(root, new MemoryDataKeys());
    await store.put(location, Buffer.from('x'));
    await store.delete(location);
    await store.delete(location);
    expect(await store.get(location)).toBeUndefined();
    expect(readdirSync(join(root, 'meldroute-mail', 'inbound'))).toEqual([]);
  });

  it('refuses a key that points outside the store', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mail-store-'));
    writeFileSync(join(root, 'secret'), 'x');
    const store = new FileRawMailStore(join(root, 'store'), new MemoryDataKeys());
    await expect(store.get({ bucket: 'b', key: '../../secret' })).rejects.toThrow(/outside/);
  });
});
