import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXPLOITATION_FORMS, ROUTES, type StoredSignal } from '#domain/signal/index.js';
import { publishCell } from '#domain/statistics/disclosure/index.js';
import {
  aggregateSignal,
  type ContributionV2,
  type CounterItem,
  type CounterItemsReader,
  contributionOf,
  counterDeltas,
  makeReleaseIfDue,
  type PublishedStatistics,
  publicStatisticsCsv,
  publicStatisticsTag,
  readPublicStatistics,
  readStatistics,
  type Statistics,
  type StatisticsQuery,
  StatisticsQuerySchema,
  statisticsCsv,
} from '#domain/statistics/index.js';
import { routeSetKeysOf, suppressedWithin, withoutRoutes } from '#domain/statistics/route-exclusion.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';
import { MemoryReleases } from '../../../support/memory-releases.js';
import { anotherSignal } from '../../../support/stored-signal.js';

const query = (parameters: Record<string, string>): StatisticsQuery => StatisticsQuerySchema.parse(Object.assign(Object.create(null), parameters));
const NOW = new Date('2024-06-01T12:00:00Z');

/** Counts the signals as the aggregator does, each version in turn. */
async function counted(signals: readonly StoredSignal[]): Promise<MemoryCounters> {
  const store = new MemoryCounters();
  for (const signal of signals) await aggregateSignal(signal, store);
  return store;
}

/** An answer without what says when, or what was left out: to compare the figures alone. */
function figures(statistics: Statistics) {
  const { generatedAt: _g, updatedAt: _u, excludeRoute: _e, ...rest } = statistics;
  return rest;
}

/** Drenthe 2023 as the table decided: 4 RIEC (one with zorg-en-strafrecht beside it), 6 zorg, 3 advies, 4 not yet discussed. */
function drenthe(): StoredSignal[] {
  const signals: StoredSignal[] = [];
  const add = (n: number, fields: Partial<StoredSignal>) => {
    for (let i = 0; i < n; i++) signals.push(anotherSignal({ observedAt: '2023-03-14', ...fields }));
  };
  add(3, { municipality: 'GM0114', form: 'seksueel', status: 'besproken', routes: ['riec'] });
  add(1, { municipality: 'GM0106', form: 'crimineel', status: 'besproken', routes: ['riec', 'zorg-en-strafrecht'] });
  add(6, { municipality: 'GM0114', form: 'arbeid', status: 'besproken', routes: ['zorg'] });
  add(3, { municipality: 'GM0106', form: 'arbeid', status: 'besproken', routes: ['advies'], observedAt: '2023-07-01' });
  add(4, { municipality: 'GM0118', form: 'arbeid' });
  add(2, { municipality: 'GM0114', form: 'seksueel', observedAt: '2022-05-01', status: 'besproken', routes: ['riec'] });
  add(1, { municipality: 'GM0114', form: 'arbeid', observedAt: '2022-05-01' });
  return signals;
}

const hasAny = (signal: StoredSignal, routes: readonly string[]) =>
  (signal.routes && signal.routes.length > 0 ? signal.routes : ['geen-besluit']).some((route) => routes.includes(route));

describe('the excludeRoute parameter', () => {
  it('takes one or more routes, with commas or repeated, each once and sorted; geen-besluit too', () => {
    expect(query({ year: '2023', excludeRoute: 'riec' }).excludeRoute).toEqual(['riec']);
    expect(query({ year: '2023', excludeRoute: 'zorg,riec,zorg' }).excludeRoute).toEqual(['riec', 'zorg']);
    expect(query({ year: '2023', excludeRoute: 'geen-besluit' }).excludeRoute).toEqual(['geen-besluit']);
    expect(query({ year: '2023' })).not.toHaveProperty('excludeRoute');
  });

  it('refuses a route it does not know, in Dutch, naming the parameter', () => {
    for (const wrong of ['RIEC', 'riec,', 'politie', '']) {
      const parsed = StatisticsQuerySchema.safeParse(Object.assign(Object.create(null), { year: '2023', excludeRoute: wrong }));
      expect(parsed.success, wrong).toBe(false);
      expect(parsed.error!.issues[0]).toMatchObject({
        path: ['excludeRoute'],
        message: expect.stringMatching(/^Onbekende route; kies een of meer van zorg, /),
      });
    }
  });
});

describe('byRoute', () => {
  it('lists every route and nog geen besluit, zeros included; routes run side by side, so they need not add up to the total', async () => {
    const store = await counted(drenthe());
    const stats = await readStatistics(query({ year: '2023', province: 'DR' }), store, NOW);
    expect(stats.byRoute).toEqual({ zorg: 6, 'zorg-en-strafrecht': 1, riec: 4, advies: 3, 'geen-vervolg': 0, 'geen-besluit': 4 });
    expect(stats.total).toBe(17);
    expect(Object.values(stats.byRoute).reduce((a, b) => a + b, 0)).toBe(18);
  });

  it('is all zeros but nog geen besluit for signals counted before the routes, and fills in once they are rebuilt', async () => {
    const signals = drenthe();
    const store = new MemoryCounters();
    for (const signal of signals) {
      const { routes: _r, dimensionsVersion: _d, ...v2 } = contributionOf(signal)!;
      const old: ContributionV2 = { ...v2, dimensionsVersion: 2 };
      await store.apply(signal.signalId, undefined, { version: signal.version, contribution: old }, counterDeltas(null, old), []);
    }
    const before = await readStatistics(query({ year: '2023', excludeRoute: 'riec' }), store, NOW);
    // Nothing to leave out yet: a signal counted under version 2 has no route set.
    expect(before.total).toBe(17);
    expect(before.byRoute).toEqual({ zorg: 0, 'zorg-en-strafrecht': 0, riec: 0, advies: 0, 'geen-vervolg': 0, 'geen-besluit': 0 });
    for (const signal of signals) expect(await aggregateSignal(signal, store, { rebuild: true })).toBe('rebuilt');
    const after = await readStatistics(query({ year: '2023', excludeRoute: 'riec' }), store, NOW);
    expect(after.total).toBe(13);
  });
});

describe('excludeRoute', () => {
  it('gives every table (totals, one-way, cross, byYear, previousYear) of the signals without the RIEC route, exactly', async () => {
    const signals = drenthe();
    const all = await counted(signals);
    const withoutRiec = await counted(signals.filter((s) => !hasAny(s, ['riec'])));
    const queries: Record<string, string>[] = [
      { year: '2023' },
      { year: '2023', province: 'DR', cross: 'municipality,form' },
      { from: '2022', to: '2023', cross: 'year,form' },
      { year: '2023', municipality: 'GM0114', cross: 'month,form' },
    ];
    for (const parameters of queries) {
      const excluded = await readStatistics(query({ ...parameters, excludeRoute: 'riec' }), all, NOW);
      const fresh = await readStatistics(query(parameters), withoutRiec, NOW);
      expect(figures(excluded), JSON.stringify(parameters)).toEqual(figures(fresh));
      expect(excluded.excludeRoute).toEqual(['riec']);
    }
    const drenthe2023 = await readStatistics(query({ year: '2023', province: 'DR', excludeRoute: 'riec' }), all, NOW);
    expect(drenthe2023).toMatchObject({ total: 13, previousYear: 1, byForm: { arbeid: 13, seksueel: 0, crimineel: 0 } });
    expect(drenthe2023.byRoute).toEqual({ zorg: 6, 'zorg-en-strafrecht': 0, riec: 0, advies: 3, 'geen-vervolg': 0, 'geen-besluit': 4 });
  });

  it('leaves out every signal that has any of several routes, with no signal subtracted twice', async () => {
    const signals = drenthe();
    const all = await counted(signals);
    for (const routes of [
      ['riec', 'zorg-en-strafrecht'],
      ['riec', 'geen-besluit'],
      [...ROUTES, 'geen-besluit'],
    ]) {
      const fresh = await counted(signals.filter((s) => !hasAny(s, routes)));
      const excluded = await readStatistics(query({ year: '2023', excludeRoute: routes.join(','), cross: 'municipality,form' }), all, NOW);
      expect(figures(excluded), routes.join()).toEqual(figures(await readStatistics(query({ year: '2023', cross: 'municipality,form' }), fresh, NOW)));
    }
  });

  it('stays exact whatever decisions, corrections and withdrawals came, in any order (property)', async () => {
    const routeSet = fc.option(fc.uniqueArray(fc.constantFrom(...ROUTES), { minLength: 1, maxLength: 3 }), { nil: undefined });
    const version = fc.record({
      routes: routeSet,
      form: fc.constantFrom(...EXPLOITATION_FORMS),
      municipality: fc.constantFrom('GM0114', 'GM0106', 'GM0014'),
      observedAt: fc.constantFrom('2022-11-01', '2023-02-01', '2023-08-01'),
      status: fc.constantFrom('ontvangen', 'besproken', 'ingetrokken'),
    });
    const excluded = fc.uniqueArray(fc.constantFrom(...ROUTES, 'geen-besluit'), { minLength: 1, maxLength: 3 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(version, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), excluded, async (histories, routes) => {
        const store = new MemoryCounters();
        const newest: StoredSignal[] = [];
        for (const history of histories) {
          const id = anotherSignal().signalId;
          const versions = history.map(({ routes: r, municipality, ...fields }, i) => {
            const signal = anotherSignal({ ...fields, signalId: id, version: i + 1, municipality, province: municipality === 'GM0014' ? 'GR' : 'DR' });
            if (r) signal.routes = r;
            return signal;
          });
          // Every version delivered, the last one twice, as a replaying stream would.
          for (const v of [...versions, versions.at(-1)!]) await aggregateSignal(v, store);
          newest.push(versions.at(-1)!);
        }
        const fresh = await counted(newest.filter((s) => s.status !== 'ingetrokken' && !hasAny(s, routes)));
        const q = { from: '2022', to: '2023', cross: 'municipality,form' };
        const read = await readStatistics(query({ ...q, excludeRoute: routes.join(',') }), store, NOW);
        expect(figures(read)).toEqual(figures(await readStatistics(query(q), fresh, NOW)));
      }),
      { numRuns: 150 },
    );
  });

  it('costs two round trips whatever the number of signals: the counter items, then only the route sets that hold an excluded route', async () => {
    const store = await counted(drenthe());
    const asked: string[][] = [];
    const spy: CounterItemsReader = {
      readItems: (keys, region) => {
        asked.push([...keys]);
        return store.readItems(keys, region);
      },
    };
    await readStatistics(query({ year: '2023', province: 'DR' }), spy, NOW);
    expect(asked).toHaveLength(1);
    asked.length = 0;
    await readStatistics(query({ year: '2023', province: 'DR', excludeRoute: 'riec' }), spy, NOW);
    expect(asked).toEqual([
      ['counter#province#DR#2023', 'counter#province#DR#2022'],
      ['counter#province#DR#2022#routeSet#riec', 'counter#province#DR#2023#routeSet#riec', 'counter#province#DR#2023#routeSet#riec+zorg-en-strafrecht'],
    ]);
  });

  it('subtracts the key sums too, and never shows a count below 0 when the two reads were a moment apart', () => {
    const items = new Map<string, CounterItem>([['c', { counts: { total: 3, 'k:total': 300, 'routeSet#riec': 1 }, updatedAt: '2024-01-01T00:00:00.000Z' }]]);
    const routeSets = new Map<string, CounterItem>([
      ['c#routeSet#riec', { counts: { total: 1, 'k:total': 120, 'form#arbeid': 1 }, updatedAt: '2024-01-02T00:00:00.000Z' }],
    ]);
    expect(routeSetKeysOf(items, ['riec'])).toEqual(['c#routeSet#riec']);
    expect(routeSetKeysOf(items, ['zorg'])).toEqual([]);
    expect(routeSetKeysOf(items)).toEqual(['c#routeSet#riec']);
    expect(withoutRoutes(items, routeSets, ['riec']).get('c')).toEqual({
      counts: { total: 2, 'k:total': 180, 'routeSet#riec': 1, 'form#arbeid': 0 },
      updatedAt: '2024-01-02T00:00:00.000Z',
    });
  });

  it('as CSV: a table "route" with Dutch names, and a file name that says what was left out', async () => {
    const store = await counted(drenthe());
    const stats = await readStatistics(query({ year: '2023', province: 'DR', excludeRoute: 'riec' }), store, NOW);
    const csv = statisticsCsv(stats, { table: 'byRoute' });
    expect(csv.filename).toBe('meldroute-2023-drenthe-zonder-riec-route.csv');
    expect(csv.text).toBe(
      '\uFEFFcode;route;aantal\r\nzorg;zorg;6\r\nzorg-en-strafrecht;zorg en strafrecht;0\r\nriec;RIEC;0\r\nadvies;advies;3\r\ngeen-vervolg;geen vervolg;0\r\ngeen-besluit;nog geen besluit;4\r\n',
    );
    expect(statisticsCsv(stats).text).toContain('\r\nroute;geen-besluit;nog geen besluit;4\r\n');
  });
});

describe('excludeRoute on the public figures', () => {
  async function releasedDrenthe() {
    const store = new MemoryReleases();
    const signals = drenthe();
    for (const signal of signals) store.countSignal(signal);
    expect((await makeReleaseIfDue('noord-nederland', NOW, { store, intervalMs: 0 })).outcome).toBe('released');
    return { store, signals };
  }
  const published = async (store: MemoryReleases, parameters: Record<string, string>) => {
    const answer = await readPublicStatistics(query(parameters), { releases: store });
    if (answer.release === null) throw new Error('no release');
    return answer as PublishedStatistics;
  };

  it('the release holds the route-set items beside the counter items', async () => {
    const { store } = await releasedDrenthe();
    const release = store.releases.get(store.pointer!.releaseId)!;
    expect([...release.keys()].filter((key) => key.includes('#routeSet#')).sort()).toContain('counter#province#DR#2023#routeSet#riec');
    expect(release.get('counter#region#noord-nederland#2023#routeSet#geen-besluit')!.counts.total).toBe(4);
  });

  it('publishes the figures of the signals left with their own cell keys, and suppresses each where the figure of all is suppressed', async () => {
    const { store, signals } = await releasedDrenthe();
    const all = await published(store, { year: '2023', province: 'DR', cross: 'municipality,form' });
    const without = await published(store, { year: '2023', province: 'DR', cross: 'municipality,form', excludeRoute: 'riec' });
    expect(without.excludeRoute).toEqual(['riec']);
    // The exact figures of the signals left, and their key sums: the true cells of the public answer.
    const exact = await readStatistics(query({ year: '2023', province: 'DR', excludeRoute: 'riec' }), new MemoryCountersFrom(store), NOW);
    expect(exact.total).toBe(13);
    const keySum = signals.filter((s) => s.observedAt.startsWith('2023') && !hasAny(s, ['riec'])).reduce((sum, s) => sum + contributionOf(s)!.recordKey, 0);
    expect(without.total).toBe(publishCell(13, keySum));
    // Emmen: 9 in all (published), 6 without RIEC; Hoogeveen 4 in all (suppressed), so suppressed without RIEC too.
    expect(all.byMunicipality.GM0118).toBeNull();
    expect(without.byMunicipality.GM0118).toBeNull();
    for (const [table, cells] of Object.entries(all)) {
      if (typeof cells !== 'object' || cells === null || table === 'release' || table === 'cross' || Array.isArray(cells)) continue;
      for (const [value, count] of Object.entries(cells as Record<string, number | null>)) {
        if (count === null) expect((without as unknown as Record<string, Record<string, number | null>>)[table]![value], `${table}.${value}`).toBeNull();
      }
    }
    for (const [row, columns] of Object.entries(all.cross!)) {
      for (const [column, count] of Object.entries(columns)) if (count === null) expect(without.cross![row]![column]).toBeNull();
    }
    // Four RIEC signals in all, suppressed: so is the 0 left of them, as any cell under a suppressed figure.
    expect(all.byRoute.riec).toBeNull();
    expect(without.byRoute.riec).toBeNull();
  });

  it('as CSV and by ETag: the public answer without RIEC is a table of its own, named so', async () => {
    const { store } = await releasedDrenthe();
    const q = query({ year: '2023', province: 'DR', excludeRoute: 'riec' });
    const without = await published(store, { year: '2023', province: 'DR', excludeRoute: 'riec' });
    const csv = publicStatisticsCsv(without, { table: 'byRoute' });
    expect(csv.filename).toBe('meldroute-2023-drenthe-zonder-riec-route.csv');
    expect(csv.text.split('\r\n')[0]).toBe('\uFEFFcode;route;aantal');
    expect(csv.text).toContain('\r\nriec;RIEC;<7\r\n');
    const tag = (parameters: Record<string, string>) => publicStatisticsTag(store.pointer!, query(parameters), 'application/json');
    expect(publicStatisticsTag(store.pointer!, q, 'application/json')).not.toBe(tag({ year: '2023', province: 'DR' }));
    expect(tag({ year: '2023', province: 'DR', excludeRoute: 'riec,riec' })).toBe(publicStatisticsTag(store.pointer!, q, 'application/json'));
  });

  it('suppressedWithin keeps a figure of the subset where that of all is shown, zeros included, and hides it where that is suppressed', () => {
    type Shown = { total: number | null; byForm: Record<string, number | null>; cross: Record<string, Record<string, number | null>> };
    const all: Shown = { total: 12, byForm: { arbeid: 9, seksueel: null, crimineel: 0 }, cross: { a: { b: null, c: 7 } } };
    const subset: Shown = { total: 8, byForm: { arbeid: 8, seksueel: 0, crimineel: 0 }, cross: { a: { b: 0, c: 0 } } };
    expect(suppressedWithin(subset, all)).toEqual({ total: 8, byForm: { arbeid: 8, seksueel: null, crimineel: 0 }, cross: { a: { b: null, c: 0 } } });
  });
});

/** The live counter items of a MemoryReleases as a CounterItemsReader, to read the exact figures it holds. */
class MemoryCountersFrom implements CounterItemsReader {
  constructor(private readonly store: MemoryReleases) {}
  async readItems(keys: readonly string[]) {
    return { items: (await this.store.readLive('noord-nederland', keys)).items, uncounted: [] };
  }
}
