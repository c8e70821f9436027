import { describe, expect, it } from 'vitest';
import { type AuditQuery, AuditQuerySchema, readAudit } from '#domain/casework/index.js';
import { validationErrors } from '#domain/kernel/index.js';
import { chain, SIGNAL } from './fixtures.js';
import { MemoryAuditLog } from './memory-audit-log.js';

const parse = (query: Record<string, string>) => AuditQuerySchema.safeParse(Object.assign(Object.create(null), query));
const parsed = (query: Record<string, string>) => {
  const result = parse(query);
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
};
const issues = (query: Record<string, string>) => {
  const result = parse(query);
  return result.success ? [] : result.error.issues.map((i) => [i.path.join('.') || i.code, i.message]);
};

describe('the query of GET /v1/audit', () => {
  it('reads a signal id, a page size and a cursor', () => {
    expect(parsed({ signalId: SIGNAL.toUpperCase() })).toEqual({ signalId: SIGNAL, after: 0, limit: 100 });
    expect(parsed({ signalId: SIGNAL, limit: '500', cursor: '42' })).toEqual({ signalId: SIGNAL, after: 42, limit: 500 });
  });

  it('reads dates as whole days in the Netherlands, in winter and in summer time', () => {
    expect(parsed({ from: '2026-03-12', to: '2026-03-12' })).toMatchObject({ from: '2026-03-11T23:00:00.000Z', before: '2026-03-12T23:00:00.000Z' });
    expect(parsed({ from: '2026-07-01', to: '2026-07-31' })).toMatchObject({ from: '2026-06-30T22:00:00.000Z', before: '2026-07-31T22:00:00.000Z' });
    // The night summer time begins: that day has 23 hours.
    expect(parsed({ from: '2026-03-29', to: '2026-03-29' })).toMatchObject({ from: '2026-03-28T23:00:00.000Z', before: '2026-03-29T22:00:00.000Z' });
  });

  it('reads times with their zone, `to` included to its millisecond, and leaves the end open without `to`', () => {
    expect(parsed({ from: '2026-03-12T10:00:00+01:00', to: '2026-03-12T09:30:00.250Z' })).toEqual({
      from: '2026-03-12T09:00:00.000Z',
      before: '2026-03-12T09:30:00.251Z',
      after: 0,
      limit: 100,
    });
    expect(parsed({ from: '2026-03-12' })).toEqual({ from: '2026-03-11T23:00:00.000Z', after: 0, limit: 100 });
  });

  it('refuses what it cannot answer, each in Dutch and by its parameter', () => {
    expect(issues({})).toEqual([['signalId', 'Geef een signalId, of een periode met from (en to).']]);
    expect(issues({ signalId: SIGNAL, from: '2026-03-01' })).toEqual([['signalId', 'Geef signalId, of een periode met from en to, niet allebei.']]);
    expect(issues({ to: '2026-03-01' })).toEqual([['from', 'Geef bij to ook from.']]);
    expect(issues({ from: '2026-03-02', to: '2026-03-01' })).toEqual([['to', 'to ligt vóór from.']]);
    expect(issues({ signalId: 'abc' })).toEqual([['signalId', 'signalId is een UUID.']]);
    for (const from of ['2026-02-30', '12-03-2026', '2026-03-12T25:00Z', '2026-03-12T10:00', 'gisteren']) {
      expect(issues({ from })[0]?.[0], from).toBe('from');
    }
    for (const limit of ['0', '501', '1e2', '-1', 'tien']) expect(issues({ signalId: SIGNAL, limit })[0]?.[0], limit).toBe('limit');
    for (const cursor of ['0', '01', 'abc', '1234567890123456']) expect(issues({ signalId: SIGNAL, cursor })[0]?.[0], cursor).toBe('cursor');
    const unknown = (query: Record<string, string>) => {
      const result = parse(query);
      return result.success ? [] : validationErrors(result.error).map((e) => e.pointer);
    };
    expect(unknown({ signalId: SIGNAL, key: 'mr_x' })).toEqual(['/key']);
    expect(unknown({ signalId: SIGNAL, ['__proto__']: 'x' })).toEqual(['/__proto__']);
  });
});

describe('readAudit', () => {
  const log = new MemoryAuditLog();
  // Entries 1 … 7, a minute apart from 09:01 UTC; 3 and 6 are about no signal.
  log.entries.push(...chain(7));
  const read = (query: AuditQuery) => readAudit(query, log);
  const sequences = async (query: AuditQuery) => {
    const page = await read(query);
    return { sequences: page.entries.map((e) => e.sequence), next: page.next };
  };

  it("pages through a signal's entries in order, and ends with next null", async () => {
    expect(await sequences({ signalId: SIGNAL, after: 0, limit: 2 })).toEqual({ sequences: [1, 2], next: '2' });
    expect(await sequences({ signalId: SIGNAL, after: 2, limit: 2 })).toEqual({ sequences: [4, 5], next: '5' });
    expect(await sequences({ signalId: SIGNAL, after: 5, limit: 2 })).toEqual({ sequences: [7], next: null });
    expect(await sequences({ signalId: SIGNAL, after: 0, limit: 5 })).toEqual({ sequences: [1, 2, 4, 5, 7], next: null });
    expect(await sequences({ signalId: '00000000-0000-4000-8000-000000000000', after: 0, limit: 5 })).toEqual({ sequences: [], next: null });
  });

  it('answers whole entries: the key only as its hash', async () => {
    const page = await read({ signalId: SIGNAL, after: 0, limit: 1 });
    expect(page.entries[0]).toEqual(log.entries[0]);
    expect(Object.keys(page.entries[0]!).sort()).toEqual([
      'action',
      'at',
      'hash',
      'keyHash',
      'organisation',
      'previousHash',
      'purpose',
      'sequence',
      'signalId',
    ]);
  });

  it('pages through a period, its end included, and stops at the first entry after it', async () => {
    const period = { from: '2026-03-12T09:03:00.000Z', before: '2026-03-12T09:05:00.001Z' };
    expect(await sequences({ ...period, after: 0, limit: 2 })).toEqual({ sequences: [3, 4], next: '4' });
    expect(await sequences({ ...period, after: 4, limit: 2 })).toEqual({ sequences: [5], next: null });
    expect(await sequences({ ...period, after: 0, limit: 3 })).toEqual({ sequences: [3, 4, 5], next: null });
    expect(await sequences({ from: '2026-03-12T09:01:00.000Z', before: '2026-03-12T09:02:00.001Z', after: 0, limit: 2 })).toEqual({
      sequences: [1, 2],
      next: null,
    });
  });

  it('reads a period open at the end up to the last entry, and nothing for a period after it', async () => {
    expect(await sequences({ from: '2026-03-11T23:00:00.000Z', after: 0, limit: 100 })).toEqual({ sequences: [1, 2, 3, 4, 5, 6, 7], next: null });
    expect(await sequences({ from: '2026-03-12T23:00:00.000Z', after: 0, limit: 100 })).toEqual({ sequences: [], next: null });
  });
});
