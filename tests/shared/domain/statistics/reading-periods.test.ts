import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validationErrors } from '#domain/kernel/index.js';
import { type CounterItemsReader, MAX_YEARS, readStatistics, StatisticsQuerySchema, StatisticsSchema } from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

/**
 * The read side of the counter items as the aggregator writes them (`counter#<kind>#<code>#<year>`, with
 * one-way `<dimension>#<value>`, two-way `<row>|<column>#<row value>|<column value>` and `k:` key sums),
 * built by hand here so that the reading is tested apart from the writing.
 */
const region = (year: number) => `counter#region#noord-nederland#${year}`;
const query = (q: object) => StatisticsQuerySchema.parse(q);
const errors = (q: object) => {
  const r = StatisticsQuerySchema.safeParse(q);
  return r.success ? [] : validationErrors(r.error).map((e) => [e.pointer, e.detail]);
};
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

function storeWith(items: Record<string, Record<string, number>>) {
  const store = new MemoryCounters();
  for (const [key, item] of Object.entries(items)) store.items.set(key, item);
  return store;
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

describe('StatisticsQuerySchema periods', () => {
  it('takes year=X as from=X&to=X, and from without to as up to this year', () => {
    expect(query({ year: '2023' })).toMatchObject({ year: 2023, from: 2023, to: 2023 });
    expect(query({ from: '2023', to: '2023' })).toMatchObject({ from: 2023, to: 2023 });
    expect(query({ from: '2019', to: '2023' })).toMatchObject({ from: 2019, to: 2023 });
    expect(query({ from: '2024' })).toMatchObject({ from: 2024, to: 2026 });
  });

  it('refuses year together with from or to, to without from, to before from, and more than MAX_YEARS years', () => {
    expect(errors({ year: '2023', from: '2022' })).toEqual([['/year', 'Geef year, of from en to, niet allebei.']]);
    expect(errors({ year: '2023', to: '2023' })).toEqual([['/year', 'Geef year, of from en to, niet allebei.']]);
    expect(errors({ to: '2023' })).toEqual([['/from', 'Geef bij to ook from.']]);
    expect(errors({ from: '2023', to: '2022' })).toEqual([['/to', 'to ligt vóór from.']]);
    expect(MAX_YEARS).toBe(30);
    expect(errors({ from: '2000', to: '2029' }).map(([p]) => p)).toEqual(['/to']); // 2029 has not begun
    expect(errors({ from: '2000', to: '2026' })).toEqual([]);
  });

  it('counts the years of a period inclusive: 30 at most', () => {
    vi.setSystemTime(new Date('2040-06-01T12:00:00Z'));
    expect(errors({ from: '2001', to: '2030' })).toEqual([]);
    expect(errors({ from: '2000', to: '2030' })).toEqual([['/to', 'Hoogstens 30 jaar tegelijk.']]);
    expect(errors({ from: '2000' })).toEqual([['/from', 'Hoogstens 30 jaar tegelijk.']]);
  });

  it('reads from and to as four digits from 2000 up to this year, as year', () => {
    for (const from of ['0x7DC', '2.012e3', '1999', '2027', ' 2012']) expect(errors({ from }).map(([p]) => p)).toEqual(['/from']);
    for (const to of ['0x7DC', '1999', '2027']) expect(errors({ from: '2012', to }).map(([p]) => p)).toEqual(['/to']);
  });

  it('knows the cross tables, and refuses an unknown pair', () => {
    expect(query({ year: '2023', cross: 'month,form' }).cross).toBe('month,form');
    expect(errors({ year: '2023', cross: 'form,month' }).map(([p]) => p)).toEqual(['/cross']);
    expect(errors({ year: '2023', cross: 'gender,form' }).map(([p]) => p)).toEqual(['/cross']);
    expect(errors({ year: '2023', table: 'cross' })).toEqual([['/table', 'table=cross vraagt ook cross, bijvoorbeeld cross=municipality,form.']]);
    expect(errors({ year: '2023', table: 'byNothing' }).map(([p]) => p)).toEqual(['/table']);
    expect(errors({ year: '2023', format: 'xlsx' }).map(([p]) => p)).toEqual(['/format']);
  });
});

describe('readStatistics over a period', () => {
  const store = () =>
    storeWith({
      [region(2018)]: { total: 4, 'form#arbeid': 4 },
      [region(2019)]: { total: 2, 'form#arbeid': 1, 'form#seksueel': 1, 'month#2019-03': 2, 'k:total': 98765, 'k:form#arbeid': 54321 },
      [region(2021)]: { total: 3, 'form#arbeid': 3, 'month#2021-12': 3, 'municipality#GM0114': 3 },
    });

  it('sums the years, lists every year in byYear (zeros included) and the year before as previousYear', async () => {
    const stats = await readStatistics(query({ from: '2019', to: '2021' }), store());
    expect(stats).toMatchObject({ from: 2019, to: 2021, total: 5, previousYear: 4, byYear: { 2019: 2, 2020: 0, 2021: 3 } });
    expect(stats.year).toBeUndefined();
    expect(stats.byForm).toEqual({ seksueel: 1, arbeid: 4, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    expect(Object.keys(stats.byMonth)).toHaveLength(36);
    expect(stats.byMonth).toMatchObject({ '2019-03': 2, '2020-06': 0, '2021-12': 3 });
    expect(sum(stats.byYear)).toBe(stats.total);
    expect(StatisticsSchema.safeParse(stats).success).toBe(true);
  });

  it('answers year=X as from=X&to=X, with the year named', async () => {
    const byYear = await readStatistics(query({ year: '2019' }), store());
    const byPeriod = await readStatistics(query({ from: '2019', to: '2019' }), store());
    expect(byYear).toEqual(byPeriod);
    expect(byYear).toMatchObject({ year: 2019, from: 2019, to: 2019, total: 2, previousYear: 4, byYear: { 2019: 2 } });
  });

  it('never returns the key sums (k:…), nor counts them', async () => {
    const stats = await readStatistics(query({ year: '2019' }), store());
    expect(JSON.stringify(stats)).not.toMatch(/k:|98765|54321/);
  });

  it('reads every item it needs, the year before included, in one call', async () => {
    const memory = store();
    const calls: (readonly string[])[] = [];
    const reader: CounterItemsReader = {
      readItems: (keys, r) => {
        calls.push(keys);
        return memory.readItems(keys, r);
      },
    };
    await readStatistics(query({ from: '2019', to: '2021', province: 'DR', cross: 'year,form' }), reader);
    expect(calls).toEqual([['counter#province#DR#2019', 'counter#province#DR#2020', 'counter#province#DR#2021', 'counter#province#DR#2018']]);
  });

  it('gives the latest change of the items read as updatedAt, null when no item says', async () => {
    expect((await readStatistics(query({ year: '2019' }), store())).updatedAt).toBeNull();
    const memory = store();
    memory.items.get(region(2019))!.updatedAt = Date.parse('2026-11-20T08:00:00Z');
    memory.items.get(region(2018))!.updatedAt = Date.parse('2026-11-21T09:30:00Z');
    expect((await readStatistics(query({ year: '2019' }), memory)).updatedAt).toBe('2026-11-21T09:30:00.000Z');
    expect((await readStatistics(query({ year: '2021' }), memory)).updatedAt).toBeNull();
  });

  it('warns of uncounted signals whose year falls in the period, or is unknown', async () => {
    const memory = store();
    const marker = (signalId: string, year?: number) => ({ signalId, markedAt: '2026-11-23T11:00:00.000Z', error: 'TypeError', ...(year && { year }) });
    await memory.markUncounted(['noord-nederland'], 1, marker('a', 2018));
    await memory.markUncounted(['noord-nederland'], 1, marker('b', 2020));
    await memory.markUncounted(['noord-nederland'], 1, marker('c'));
    expect((await readStatistics(query({ from: '2019', to: '2021' }), memory)).warnings[0]?.count).toBe(2);
    expect((await readStatistics(query({ year: '2018' }), memory)).warnings[0]?.count).toBe(2);
  });
});

describe('readStatistics dimensions', () => {
  it('lists every known value of the new dimensions with zeros, and any other value counted', async () => {
    const stats = await readStatistics(
      query({ year: '2023', province: 'FR' }),
      storeWith({ 'counter#province#FR#2023': { total: 1, 'sector#horeca': 1, 'gender#v': 1, 'status#te-verrijken': 1, 'ageBand#nieuw': 1 } }),
    );
    expect(Object.keys(stats.byExploitationMunicipality)).toHaveLength(19); // Fryslân's 18 and onbekend
    expect(stats.byExploitationMunicipality.onbekend).toBe(0);
    expect(stats.byMinors).toEqual({ ja: 0, nee: 0, onbekend: 0 });
    expect(Object.keys(stats.bySector)).toEqual([
      'land-en-tuinbouw',
      'horeca',
      'bouw',
      'schoonmaak',
      'logistiek',
      'vleesverwerking',
      'huishouden',
      'prostitutie',
      'online',
      'overig',
      'onbekend',
    ]);
    expect(stats.bySector.horeca).toBe(1);
    expect(stats.byAgeBand).toEqual({ '0-11': 0, '12-17': 0, '18-22': 0, '23-29': 0, '30-39': 0, '40-49': 0, '50-64': 0, '65+': 0, onbekend: 0, nieuw: 1 });
    expect(stats.byGender).toEqual({ v: 1, m: 0, x: 0, onbekend: 0 });
    expect(stats.byStatus).toEqual({ ontvangen: 0, 'te-verrijken': 1, 'in-beoordeling': 0, besproken: 0, afgesloten: 0 });
    expect(stats.byAdditionalForm).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
  });

  it('lists a municipality and onbekend for where the exploitation took place, when narrowed to one municipality', async () => {
    const stats = await readStatistics(query({ year: '2023', municipality: 'GM0114' }), storeWith({}));
    expect(stats.byMunicipality).toEqual({ GM0114: 0 });
    expect(stats.byExploitationMunicipality).toEqual({ GM0114: 0, onbekend: 0 });
  });

  it('keeps a counted value named like an Object property a plain key', async () => {
    const stats = await readStatistics(query({ year: '2023' }), storeWith({ [region(2023)]: { total: 1, 'sourceType#__proto__': 1 } }));
    expect(Object.getPrototypeOf(stats.bySourceType)).toBe(Object.prototype);
    expect(Object.hasOwn(stats.bySourceType, '__proto__')).toBe(true);
  });
});

describe('readStatistics cross tables', () => {
  const items: Record<string, Record<string, number>> = {
    [region(2022)]: { total: 1, 'form#crimineel': 1, 'month|form#2022-02|crimineel': 1 },
    [region(2023)]: {
      total: 3,
      'form#arbeid': 2,
      'form#seksueel': 1,
      'municipality|form#GM0114|arbeid': 2,
      'municipality|form#onbekend|seksueel': 1,
      'month|form#2023-03|arbeid': 2,
      'month|form#2023-04|seksueel': 1,
      'sourceType|form#web-onbevestigd:zorg|seksueel': 1,
      'sourceType|form#gemeente|arbeid': 2,
      'k:municipality|form#GM0114|arbeid': 40,
    },
  };
  const rowSums = (cross: Record<string, Record<string, number>>) => Object.values(cross).map(sum);

  it('municipality × form: every municipality in scope and onbekend, every form, zeros included', async () => {
    const stats = await readStatistics(query({ year: '2023', cross: 'municipality,form' }), storeWith(items));
    expect(Object.keys(stats.cross!)).toHaveLength(41);
    expect(stats.cross!.GM0114).toEqual({ seksueel: 0, arbeid: 2, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    expect(stats.cross!.onbekend).toMatchObject({ seksueel: 1 });
    expect(stats.cross!.GM0106).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    expect(rowSums(stats.cross!).reduce((a, b) => a + b, 0)).toBe(stats.total);
  });

  it('month × form over a period: every month of every year', async () => {
    const stats = await readStatistics(query({ from: '2022', to: '2023', cross: 'month,form' }), storeWith(items));
    expect(Object.keys(stats.cross!)).toHaveLength(24);
    expect(stats.cross!['2022-02']!.crimineel).toBe(1);
    expect(stats.cross!['2023-03']!.arbeid).toBe(2);
    expect(stats.cross!['2023-12']).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
  });

  it('year × form, from the year items', async () => {
    const stats = await readStatistics(query({ from: '2021', to: '2023', cross: 'year,form' }), storeWith(items));
    expect(stats.cross).toEqual({
      2021: { seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 },
      2022: { seksueel: 0, arbeid: 0, crimineel: 1, orgaanverwijdering: 0, onbekend: 0 },
      2023: { seksueel: 1, arbeid: 2, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 },
    });
  });

  it('source type × form: the known source types, and a counted one besides', async () => {
    const stats = await readStatistics(query({ year: '2023', cross: 'sourceType,form' }), storeWith(items));
    expect(Object.keys(stats.cross!)).toEqual([...Object.keys(stats.bySourceType).filter((s) => s !== 'web-onbevestigd:zorg'), 'web-onbevestigd:zorg']);
    expect(stats.cross!['web-onbevestigd:zorg']!.seksueel).toBe(1);
    expect(stats.cross!.politie!.arbeid).toBe(0);
  });

  it('province × form and exploitation municipality × form list their one-way values', async () => {
    const province = await readStatistics(query({ year: '2023', cross: 'province,form' }), storeWith(items));
    expect(Object.keys(province.cross!)).toEqual(['DR', 'GR', 'FR', 'onbekend']);
    const exploitation = await readStatistics(query({ year: '2023', province: 'GR', cross: 'exploitationMunicipality,form' }), storeWith(items));
    expect(Object.keys(exploitation.cross!)).toEqual(Object.keys(exploitation.byExploitationMunicipality));
  });

  it('has no cross table unless asked', async () => {
    expect((await readStatistics(query({ year: '2023' }), storeWith(items))).cross).toBeUndefined();
  });
});
