import { describe, expect, it, vi } from 'vitest';
import { geography } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { aggregateSignal, markUncounted, StoredSignalSchema } from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

const signal = (extra: Partial<StoredSignal> = {}): StoredSignal => ({
  schemaVersion: 1,
  signalId: '6f1c1d2e-7a4b-4c8e-9f00-000000000001',
  receivedAt: '2023-03-14T10:00:00.000Z',
  organisation: 'Gemeente Emmen',
  sourceType: 'gemeente',
  channel: 'api',
  region: 'noord-nederland',
  observedAt: '2023-03-14',
  municipality: 'GM0114',
  province: 'DR',
  form: 'arbeid',
  signalType: 'melding',
  status: 'ontvangen',
  version: 1,
  ...extra,
});
const region = 'counter#region#noord-nederland#2023';

describe('aggregateSignal', () => {
  it('counts a new signal once', async () => {
    const store = new MemoryCounters();
    expect(await aggregateSignal(signal(), store)).toBe('counted');
    expect(store.counts(region).total).toBe(1);
  });

  it('changes nothing when the same version comes again (a replayed or retried stream record)', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    expect(await aggregateSignal(signal(), store)).toBe('already-applied');
    expect(store.counts(region).total).toBe(1);
  });

  it('moves the count when a later version corrects the form', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, form: 'seksueel' }), store);
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#arbeid': 0, 'form#seksueel': 1 });
  });

  it('ends right when versions arrive out of order: the older one is ignored', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 2, form: 'crimineel' }), store);
    expect(await aggregateSignal(signal({ version: 1 }), store)).toBe('already-applied');
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#crimineel': 1 });
  });

  it('uncounts a withdrawn signal and counts it again when reinstated', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    expect(store.counts(region).total).toBe(0);
    await aggregateSignal(signal({ version: 3, status: 'ontvangen' }), store);
    expect(store.counts(region).total).toBe(1);
  });

  it('tries again when another writer updated the applied state in between', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    // Another writer applies version 2 (withdrawn) just before this one writes version 3 (reinstated).
    store.interfereOnce = () => aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    await aggregateSignal(signal({ version: 3 }), store);
    expect(store.appliedStates.get(signal().signalId)!.version).toBe(3);
    expect(store.counts(region).total).toBe(1);
  });
});

describe('markUncounted', () => {
  const id = signal().signalId;
  const parseError = Object.assign(new Error('form: Invalid option: "arbeidx"'), { name: '$ZodError' });
  const brokenItem = { ...signal(), version: 1, form: 'arbeidx', organisation: 'Jan Jansen' } as Record<string, unknown>;
  const now = new Date('2024-02-01T08:00:00Z');

  it('marks the signal in its region with its year, province, municipality, the time and the error name, nothing else', async () => {
    const store = new MemoryCounters();
    expect(await markUncounted(id, brokenItem, parseError, store, now)).toBe('marked');
    expect([...store.markers.get('noord-nederland')!.values()]).toEqual([
      { signalId: id, markedAt: '2024-02-01T08:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR', municipality: 'GM0114' },
    ]);
    expect(await store.bookkeeping(id)).toEqual({ uncounted: { regions: ['noord-nederland'], version: 1 } });
  });

  it('keeps only known codes: a value it cannot place is left out, and an unreadable region marks every region', async () => {
    const store = new MemoryCounters();
    const item = { observedAt: 'gisteren', region: 42, province: 'Jan Jansen', municipality: 'onbekend', version: 'x' };
    await markUncounted(id, item, new TypeError('no'), store, now);
    expect([...store.markers.keys()]).toEqual(geography.regionCodes());
    expect([...store.markers.get('noord-nederland')!.values()]).toEqual([
      { signalId: id, markedAt: now.toISOString(), error: 'TypeError', municipality: 'onbekend' },
    ]);
    expect((await store.bookkeeping(id)).uncounted).toEqual({ regions: geography.regionCodes(), version: 0 });
  });

  it('never stores an error name that is not a plain name', async () => {
    const store = new MemoryCounters();
    await markUncounted(id, brokenItem, Object.assign(new Error(), { name: 'Error: BSN 111222333 ongeldig' }), store, now);
    expect(store.markers.get('noord-nederland')!.get(id)!.error).toBe('Error');
  });

  it('is removed in the same apply by the attempt that counts the signal', async () => {
    const store = new MemoryCounters();
    await markUncounted(id, brokenItem, parseError, store, now);
    const apply = vi.spyOn(store, 'apply');
    const unmark = vi.spyOn(store, 'unmark');
    expect(await aggregateSignal(signal({ version: 2 }), store)).toBe('counted');
    expect(apply.mock.calls[0]![4]).toEqual(['noord-nederland']);
    expect(unmark).toHaveBeenCalledTimes(1); // by the in-memory apply itself, as the transaction would
    expect(store.markers.get('noord-nederland')!.size).toBe(0);
    expect(await store.bookkeeping(id)).toEqual({ applied: expect.objectContaining({ version: 2 }) });
    expect(store.counts(region).total).toBe(1);
  });

  it('costs a healthy signal nothing: one bookkeeping read and one apply, nothing to unmark', async () => {
    const store = new MemoryCounters();
    const calls = { bookkeeping: vi.spyOn(store, 'bookkeeping'), apply: vi.spyOn(store, 'apply'), unmark: vi.spyOn(store, 'unmark') };
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal(), store);
    expect(calls.bookkeeping).toHaveBeenCalledTimes(2);
    expect(calls.apply).toHaveBeenCalledTimes(1);
    expect(calls.apply.mock.calls[0]![4]).toEqual([]);
    expect(calls.unmark).not.toHaveBeenCalled();
  });

  it('stays when an older version is replayed, and goes when a newer one is counted', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await markUncounted(id, { ...brokenItem, version: 2 }, parseError, store, now);
    expect(await aggregateSignal(signal(), store)).toBe('already-applied');
    expect(store.markers.get('noord-nederland')!.has(id)).toBe(true);
    expect(await aggregateSignal(signal({ version: 3, form: 'seksueel' }), store)).toBe('counted');
    expect(store.markers.get('noord-nederland')!.has(id)).toBe(false);
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#arbeid': 0, 'form#seksueel': 1 });
  });

  it('goes when the version it failed on turns out counted already (a recount came first)', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 2 }), store);
    await store.markUncounted(['noord-nederland'], 2, { signalId: id, markedAt: now.toISOString(), error: 'Error' });
    expect(await aggregateSignal(signal({ version: 2 }), store)).toBe('already-applied');
    expect(await store.bookkeeping(id)).toEqual({ applied: expect.objectContaining({ version: 2 }) });
    expect(store.markers.get('noord-nederland')!.size).toBe(0);
  });

  it('does not mark a record that a newer counted version has superseded: counting it would change nothing', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 3 }), store);
    expect(await markUncounted(id, { ...brokenItem, version: 2 }, parseError, store, now)).toBe('superseded');
    expect(store.markers.size).toBe(0);
    expect(store.counts(region).total).toBe(1);
  });
});

describe('StoredSignalSchema', () => {
  it('reads a stored signal, and refuses one whose form it does not know', () => {
    expect(StoredSignalSchema.parse({ ...signal(), expiresAt: 1 })).toMatchObject({ version: 1 });
    expect(StoredSignalSchema.safeParse({ ...signal(), form: 'arbeidx' }).success).toBe(false);
  });
});
