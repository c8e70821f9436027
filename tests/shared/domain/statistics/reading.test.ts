import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validationErrors } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { aggregateSignal, markUncounted, readStatistics, StatisticsQuerySchema, StatisticsSchema } from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';
import { anotherSignal } from '../../../support/stored-signal.js';

const signal = anotherSignal;

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
    const stats = await readStatistics(query({ year: '2023' }), store);
    expect(Object.values(stats.byForm).reduce((a, b) => a + b, 0)).toBe(stats.total);
    expect(stats.byForm).toMatchObject({ seksueel: 1, arbeid: 0, onbekend: 1 });
  });

  it('narrows to a province: its municipalities, and onbekend for those placed there without one', async () => {
    const store = await storeWith([signal({}), signal({ municipality: 'onbekend' }), signal({ municipality: 'GM0014', province: 'GR' })]);
    const stats = await readStatistics(query({ year: '2023', province: 'DR' }), store);
    expect(stats).toMatchObject({ province: 'DR', total: 2 });
    expect(Object.keys(stats.byMunicipality)).toHaveLength(13);
    expect(stats.byMunicipality).toMatchObject({ GM0114: 1, onbekend: 1 });
    expect(stats.byMunicipality.GM0014).toBeUndefined();
  });

  it('narrows to one municipality', async () => {
    const store = await storeWith([signal({}), signal({ municipality: 'GM0106' })]);
    const stats = await readStatistics(query({ year: '2023', municipality: 'GM0106' }), store);
    expect(stats).toMatchObject({ municipality: 'GM0106', total: 1, byMunicipality: { GM0106: 1 } });
  });

  it('gives persons beside total, per year and summed over years, and who was signalled before, zeros included', async () => {
    const store = await storeWith([
      signal({ observedAt: '2022-05-01', person: { signalledBefore: false, earlierInYear: false } }),
      // The same person again next year: a person of 2023 too, signalled before.
      signal({ person: { signalledBefore: true, earlierInYear: false } }),
      signal({ person: { signalledBefore: true, earlierInYear: true } }),
      signal({}),
    ]);
    const year = await readStatistics(query({ year: '2023' }), store);
    expect(year).toMatchObject({ total: 3, persons: 1 });
    expect(year.byPerson).toEqual({ nieuw: 1, 'eerder-dit-jaar': 1, onbekend: 1 });
    expect(year.bySignalledBefore).toEqual({ ja: 2, nee: 0, onbekend: 1 });
    const both = await readStatistics(query({ from: '2022', to: '2023' }), store);
    expect(both).toMatchObject({ total: 4, persons: 2, bySignalledBefore: { ja: 2, nee: 1, onbekend: 1 } });
    expect(StatisticsSchema.parse(both)).toEqual(both);
    const none = await readStatistics(query({ year: '2021' }), store);
    expect(none).toMatchObject({ persons: 0, bySignalledBefore: { ja: 0, nee: 0, onbekend: 0 } });
  });

  it('keeps years apart', async () => {
    const store = await storeWith([signal({ observedAt: '2022-12-31' }), signal({})]);
    expect((await readStatistics(query({ year: '2022' }), store)).byMonth['2022-12']).toBe(1);
    expect((await readStatistics(query({ year: '2023' }), store)).total).toBe(1);
  });

  it('also lists a source type it does not know in advance, once counted', async () => {
    const store = await storeWith([signal({ sourceType: 'web-onbevestigd:zorg' })]);
    expect((await readStatistics(query({ year: '2023' }), store)).bySourceType).toMatchObject({ 'web-onbevestigd:zorg': 1, gemeente: 0 });
  });
});

describe('readStatistics warnings', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());
  const markedAt = '2026-11-23T11:00:00.000Z';
  async function storeMarking(...scopes: Record<string, unknown>[]) {
    const store = await storeWith([signal({})]);
    for (const [i, scope] of scopes.entries())
      await markUncounted(`m-${i}`, { region: 'noord-nederland', ...scope }, new Error('x'), store, new Date(markedAt));
    return store;
  }

  it('has none when every signal was counted', async () => {
    expect((await readStatistics(query({ year: '2023' }), await storeWith([signal({})]))).warnings).toEqual([]);
  });

  it('says how many signals of the region and year could not be counted, and that the figures are too low', async () => {
    const stats = await readStatistics(query({ year: '2023' }), await storeMarking({ observedAt: '2023-05-01' }));
    expect(stats.total).toBe(1);
    expect(stats.warnings).toEqual([
      { code: 'uncounted-signals', count: 1, message: '1 signaal kon (nog) niet worden geteld; deze cijfers zijn te laag tot het opnieuw is geteld.' },
    ]);
    const two = await readStatistics(query({ year: '2023' }), await storeMarking({ observedAt: '2023-05-01' }, {}));
    expect(two.warnings).toEqual([
      { code: 'uncounted-signals', count: 2, message: '2 signalen konden (nog) niet worden geteld; deze cijfers zijn te laag tot ze opnieuw zijn geteld.' },
    ]);
  });

  it('counts a marker in every answer it could fall in: same or unknown year, province and municipality', async () => {
    const store = await storeMarking(
      { observedAt: '2022-05-01' }, // another year
      { observedAt: 'mei' }, // year unknown: every year
      { observedAt: '2023-05-01', province: 'GR', municipality: 'GM0014' },
      { observedAt: '2023-05-01', province: 'DR' }, // municipality unknown: any in Drenthe
      { observedAt: '2023-05-01', province: 'onbekend', municipality: 'onbekend' }, // counted in the region only
    );
    const count = async (q: object) => (await readStatistics(query(q), store)).warnings[0]?.count ?? 0;
    expect(await count({ year: '2023' })).toBe(4);
    expect(await count({ year: '2022' })).toBe(2);
    expect(await count({ year: '2023', province: 'GR' })).toBe(2);
    expect(await count({ year: '2023', province: 'DR' })).toBe(2);
    expect(await count({ year: '2023', municipality: 'GM0014' })).toBe(2);
    expect(await count({ year: '2023', municipality: 'GM0114' })).toBe(2);
    expect(await count({ year: '2023', province: 'FR' })).toBe(1);
  });

  it('is gone once the signal is counted', async () => {
    const store = await storeWith([]);
    const late = signal({});
    await markUncounted(late.signalId, { ...late, form: 'arbeidx' }, new Error('x'), store);
    expect((await readStatistics(query({ year: '2023' }), store)).warnings).toHaveLength(1);
    await aggregateSignal({ ...late, version: 2 }, store);
    const stats = await readStatistics(query({ year: '2023' }), store);
    expect(stats).toMatchObject({ total: 1, warnings: [] });
    expect(StatisticsSchema.safeParse(stats).success).toBe(true);
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
    expect(errors({ year: '2023', region: 'randstad' })).toEqual(['/region']);
    expect(errors({ year: '2023', province: 'NH' })).toEqual(['/province']);
    expect(errors({ year: '2023', municipality: 'GM0363' })).toEqual(['/municipality']);
    expect(errors({ year: '2023', jaar: '2023' })).toEqual(['/jaar']);
  });

  it('refuses a municipality outside the chosen province', () => {
    expect(errors({ year: '2023', province: 'GR', municipality: 'GM0114' })).toEqual(['/municipality']);
  });

  it('takes a year as four decimal digits only: not 0x7DC, 2.012e3 or other spellings of 2012', () => {
    expect(StatisticsQuerySchema.parse({ year: '2012' }).year).toBe(2012);
    for (const year of ['0x7DC', '2.012e3', '2012.0', '+2012', ' 2012', '2012 ', '02012', '0b11111011100', '2012,2013', '２０１２', 2012]) {
      expect(errors({ year })).toEqual(['/year']);
    }
  });

  it('refuses an unknown parameter whatever its name, __proto__ and constructor included', () => {
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const query = Object.assign(Object.create(null) as Record<string, string>, { year: '2012' });
      query[name] = 'x';
      expect(errors(query)).toEqual([`/${name}`]);
    }
  });
});
