import { describe, expect, it } from 'vitest';
import { appendAudit, entryHash, GENESIS_HASH, verifyChain } from '#domain/casework/index.js';
import { KEY_HASH, OTHER_SIGNAL, record, SIGNAL } from './fixtures.js';
import { MemoryAuditLog } from './memory-audit-log.js';

const at = (iso: string) => () => new Date(iso);

describe('appendAudit', () => {
  it('makes the first entry 1, chained onto 64 zeros, hashed over its fields', async () => {
    const log = new MemoryAuditLog();
    const result = await appendAudit(record(), { log, now: at('2026-03-12T09:00:00Z') });
    expect(result).toEqual({
      ok: true,
      entry: {
        sequence: 1,
        at: '2026-03-12T09:00:00.000Z',
        organisation: 'Meldpunt Noord-Nederland',
        keyHash: KEY_HASH,
        action: 'signal-read',
        signalId: SIGNAL,
        purpose: 'Triage voor de weegtafel van dinsdag',
        previousHash: GENESIS_HASH,
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    const entry = log.entries[0]!;
    expect(entry.hash).toBe(entryHash(entry));
  });

  it('links each next entry to the one before, numbering 1, 2, 3 …', async () => {
    const log = new MemoryAuditLog();
    await appendAudit(record(), { log });
    await appendAudit(record({ action: 'description-read' }), { log });
    await appendAudit(record({ action: 'decision', signalId: OTHER_SIGNAL }), { log });
    await appendAudit(record({ action: 'enrichment', signalId: undefined }), { log });
    expect(log.entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(log.entries[1]!.previousHash).toBe(log.entries[0]!.hash);
    expect(log.entries[3]).toMatchObject({ signalId: null, previousHash: log.entries[2]!.hash });
    expect(verifyChain(log.entries, await log.head())).toEqual({ intact: true, count: 4 });
  });

  it('never dates an entry before the one before it, though a clock runs behind', async () => {
    const log = new MemoryAuditLog();
    await appendAudit(record(), { log, now: at('2026-03-12T09:00:05Z') });
    await appendAudit(record(), { log, now: at('2026-03-12T09:00:04Z') });
    expect(log.entries.map((e) => e.at)).toEqual(['2026-03-12T09:00:05.000Z', '2026-03-12T09:00:05.000Z']);
  });

  it('lets two appends at once both in, one after the other: the loser retries on the new head, the chain does not fork', async () => {
    const log = new MemoryAuditLog();
    // Both read the empty head before either writes.
    let waiting = 0;
    let release: () => void = () => undefined;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    log.beforeAppend = async () => {
      if (++waiting === 2) release();
      await bothRead;
    };
    const [a, b] = await Promise.all([appendAudit(record({ purpose: 'Eerste inzage' }), { log }), appendAudit(record({ purpose: 'Tweede inzage' }), { log })]);
    expect(a.ok && b.ok).toBe(true);
    expect(log.attempts).toBe(3);
    expect(log.lost).toBe(1);
    expect(log.entries.map((e) => e.sequence)).toEqual([1, 2]);
    expect(new Set(log.entries.map((e) => e.purpose))).toEqual(new Set(['Eerste inzage', 'Tweede inzage']));
    expect(log.entries[1]!.previousHash).toBe(log.entries[0]!.hash);
    expect(verifyChain(log.entries, await log.head())).toEqual({ intact: true, count: 2 });
  });

  it('keeps one chain under many appends at once', async () => {
    const log = new MemoryAuditLog();
    log.beforeAppend = () => new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => appendAudit(record({ purpose: `Inzage ${i}` }), { log, maxAttempts: 50 })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(log.entries.map((e) => e.sequence)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(log.lost).toBeGreaterThan(0);
    expect(verifyChain(log.entries, await log.head())).toEqual({ intact: true, count: 12 });
  });

  it('answers 503 when other appends keep coming first, having written nothing', async () => {
    const log = new MemoryAuditLog();
    log.append = async () => false;
    const result = await appendAudit(record(), { log, maxAttempts: 3 });
    expect(result).toMatchObject({ ok: false, problem: { status: 503, title: 'Tijdelijk niet beschikbaar' } });
  });

  it('refuses a key where its hash belongs, an unknown action and a signal id that is no UUID', async () => {
    const log = new MemoryAuditLog();
    const answer = await appendAudit({ ...record(), keyHash: 'mr_prod_abcdef', action: 'peek' as never, signalId: '42' }, { log });
    expect(answer.ok).toBe(false);
    expect(!answer.ok && answer.problem.errors?.map((e) => e.pointer).sort()).toEqual(['/action', '/keyHash', '/signalId']);
    expect(log.entries).toEqual([]);
  });

  it('passes on what the store throws: a store that fails is not a lost race', async () => {
    const log = new MemoryAuditLog();
    log.head = async () => {
      throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
    };
    await expect(appendAudit(record(), { log })).rejects.toThrow('timeout');
  });
});
