import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { aggregateSignal, readStatistics, StatisticsQuerySchema } from '#domain/statistics/index.js';
import { validationErrors } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

let n = 0;
const signal = (extra: Partial<StoredSignal>): StoredSignal => ({
  schemaVersion: 1, signalId: `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, receivedAt: '2023-03-14T10:00:00.000Z',
  organisation: 'X', sourceType: 'gemeente', channel: 'api', region: 'noord-nederland', observedAt: '2023-03-14',
  municipality: 'GM0114', province: 'DR', form: 'arbeid', signalType: 'melding', status: 'ontvangen', version: 1, ...extra,
});

async function storeWith(signals: StoredSignal[]) {
  const store = new MemoryCounters();
  for (const s of signals) await aggregateSignal(s, store);
  return store;
}
const query = (q: object) => StatisticsQuerySchema.parse(q);

describe('readStatistics', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('lists every municipality, province, form, channel, type and month of the region, zeros included', async () => {
    const stats = await readStatistics(query({ region: 'noord-nederland', year: '2023' }), await storeWith([]));
    expect(stats.total).toBe(0);
    expect(Object.keys(stats.byMunicipality)).toHaveLength(41);
    expect(stats.byMunicipality.onbekend).toBe(0);
    expect(stats.byProvince).toEqual({ DR: 0, GR: 0, FR: 0, onbekend: 0 });
    expect(stats.byForm).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    expect(Object.keys(stats.byMonth)).toEqual(Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}`));
    expect(Object.keys(stats.byChannel)).toEqual(['api', 'web', 'email']);
    expect(Object.keys(stats.bySignalType)).toEqual(['melding', 'adviesvraag', 'casus']);
  });

  it('counts the main form only, so byForm sums to the total', async () => {
    const store = await storeWith([signal({ form: 'seksueel', additionalForms: ['arbeid'] }), signal({ form: 'onbekend' })]);
    const stats = await readStatistics(query({ year: 2023 }), store);
    expect(Object.values(stats.byForm).reduce((a, b) => a + b, 0)).toBe(stats.total);
    expect(stats.byForm).toMatchObject({ seksueel: 1, arbeid: 0, onbekend: 1 });
  });

  it('narrows to a province: its municipalities, and onbekend for those placed there without one', async () => {
    const store = await storeWith([signal({}), signal({ municipality: 'onbekend' }), signal({ municipality: 'GM0014', province: 'GR' })]);
    const stats = await readStatistics(query({ year: 2023, province: 'DR' }), store);
    expect(stats).toMatchObject({ province: 'DR', total: 2 });
    expect(Object.keys(stats.byMunicipality)).toHaveLength(13);
    expect(stats.byMunicipality).toMatchObject({ GM0114: 1, onbekend: 1 });
    expect(stats.byMunicipality.GM0014).toBeUndefined();
  });

  it('narrows to one municipality', async () => {
    const store = await storeWith([signal({}), signal({ municipality: 'GM0106' })]);
    const stats = await readStatistics(query({ year: 2023, municipality: 'GM0106' }), store);
    expect(stats).toMatchObject({ municipality: 'GM0106', total: 1, byMunicipality: { GM0106: 1 } });
  });

  it('keeps years apart', async () => {
    const store = await storeWith([signal({ observedAt: '2022-12-31' }), signal({})]);
    expect((await readStatistics(query({ year: 2022 }), store)).byMonth['2022-12']).toBe(1);
    expect((await readStatistics(query({ year: 2023 }), store)).total).toBe(1);
  });

  it('also lists a source type it does not know in advance, once counted', async () => {
    const store = await storeWith([signal({ sourceType: 'web-onbevestigd:zorg' })]);
    expect((await readStatistics(query({ year: 2023 }), store)).bySourceType).toMatchObject({ 'web-onbevestigd:zorg': 1, gemeente: 0 });
  });
});

describe('StatisticsQuerySchema', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());
  const errors = (q: object) => {
    const r = StatisticsQuerySchema.safeParse(q);
    return r.success ? [] : validationErrors(r.error).map((e) => e.pointer);
  };

  it('requires a year from 2000 up to this year', () => {
    expect(errors({})).toEqual(['/year']);
    expect(errors({ year: 'twee' })).toEqual(['/year']);
    expect(errors({ year: '1999' })).toEqual(['/year']);
    expect(errors({ year: '2027' })).toEqual(['/year']);
    expect(errors({ year: '2026' })).toEqual([]);
  });

  it('refuses an unknown region, province, municipality or parameter', () => {
    expect(errors({ year: 2023, region: 'randstad' })).toEqual(['/region']);
    expect(errors({ year: 2023, province: 'NH' })).toEqual(['/province']);
    expect(errors({ year: 2023, municipality: 'GM0363' })).toEqual(['/municipality']);
    expect(errors({ year: 2023, jaar: 2023 })).toEqual(['/jaar']);
  });

  it('refuses a municipality outside the chosen province', () => {
    expect(errors({ year: 2023, province: 'GR', municipality: 'GM0114' })).toEqual(['/municipality']);
  });
});
