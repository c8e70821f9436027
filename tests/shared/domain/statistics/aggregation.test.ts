import { describe, expect, it } from 'vitest';
import { aggregateSignal } from '#domain/statistics/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

const signal = (extra: Partial<StoredSignal> = {}): StoredSignal => ({
  schemaVersion: 1, signalId: '6f1c1d2e-7a4b-4c8e-9f00-000000000001', receivedAt: '2023-03-14T10:00:00.000Z',
  organisation: 'Gemeente Emmen', sourceType: 'gemeente', channel: 'api', region: 'noord-nederland',
  observedAt: '2023-03-14', municipality: 'GM0114', province: 'DR', form: 'arbeid', signalType: 'melding',
  status: 'ontvangen', version: 1, ...extra,
});
const region = 'counter#region#noord-nederland#2023';

describe('aggregateSignal', () => {
  it('counts a new signal once', async () => {
    const store = new MemoryCounters();
    expect(await aggregateSignal(signal(), store)).toBe('counted');
    expect((await store.read(region)).total).toBe(1);
  });

  it('changes nothing when the same version comes again (a replayed or retried stream record)', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    expect(await aggregateSignal(signal(), store)).toBe('already-applied');
    expect((await store.read(region)).total).toBe(1);
  });

  it('moves the count when a later version corrects the form', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, form: 'seksueel' }), store);
    expect(await store.read(region)).toMatchObject({ total: 1, 'form#arbeid': 0, 'form#seksueel': 1 });
  });

  it('ends right when versions arrive out of order: the older one is ignored', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 2, form: 'crimineel' }), store);
    expect(await aggregateSignal(signal({ version: 1 }), store)).toBe('already-applied');
    expect(await store.read(region)).toMatchObject({ total: 1, 'form#crimineel': 1 });
  });

  it('uncounts a withdrawn signal and counts it again when reinstated', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    expect((await store.read(region)).total).toBe(0);
    await aggregateSignal(signal({ version: 3, status: 'ontvangen' }), store);
    expect((await store.read(region)).total).toBe(1);
  });

  it('tries again when another writer updated the applied state in between', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    // Another writer applies version 2 (withdrawn) just before this one writes version 3 (reinstated).
    store.interfereOnce = () => aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    await aggregateSignal(signal({ version: 3 }), store);
    expect(store.appliedStates.get(signal().signalId)!.version).toBe(3);
    expect((await store.read(region)).total).toBe(1);
  });
});
