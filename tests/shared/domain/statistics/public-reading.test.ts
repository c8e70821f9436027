import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { largestSuppressedCount, SUPPRESSED_LABEL } from '#domain/statistics/disclosure/index.js';
import {
  makeReleaseIfDue,
  NO_RELEASE_NOTICE,
  ONE_WAY_TABLES,
  type PublicStatistics,
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
import { MemoryReleases } from '../../../support/memory-releases.js';
import { anotherSignal } from '../../../support/stored-signal.js';

const REGION = 'noord-nederland';
const query = (parameters: Record<string, string>): StatisticsQuery => StatisticsQuerySchema.parse(parameters);
const released = (s: PublicStatistics): PublishedStatistics => {
  if (s.release === null) throw new Error('no release');
  return s;
};

/** Drenthe in 2023: Emmen 14 (9 arbeid, 5 seksueel), Assen 11, Hoogeveen 3; and 2 signals in Emmen in 2022. */
function drenthe(store: MemoryReleases) {
  const add = (n: number, fields: Parameters<typeof anotherSignal>[0]) => {
    for (let i = 0; i < n; i++) store.countSignal(anotherSignal(fields));
  };
  add(9, { municipality: 'GM0114', form: 'arbeid', observedAt: '2023-03-14' });
  add(5, { municipality: 'GM0114', form: 'seksueel', observedAt: '2023-05-02' });
  add(11, { municipality: 'GM0106', form: 'arbeid', observedAt: '2023-09-20' });
  add(3, { municipality: 'GM0118', form: 'crimineel', observedAt: '2023-11-05' });
  add(2, { municipality: 'GM0114', form: 'arbeid', observedAt: '2022-06-01' });
}

let store: MemoryReleases;
const now = new Date('2026-06-01T06:00:00Z');
const publicAnswer = (parameters: Record<string, string>) => readPublicStatistics(query(parameters), { releases: store });

beforeEach(async () => {
  store = new MemoryReleases();
  drenthe(store);
  expect((await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 })).outcome).toBe('released');
});

describe('readPublicStatistics', () => {
  it('before the first release answers release null and a notice, without figures', async () => {
    store = new MemoryReleases();
    const answer = await publicAnswer({ year: '2023', province: 'DR' });
    expect(answer).toEqual({ region: REGION, year: 2023, from: 2023, to: 2023, province: 'DR', release: null, notice: NO_RELEASE_NOTICE, warnings: [] });
    expect(publicStatisticsCsv(answer).text).toContain('Er zijn nog geen openbare cijfers');
  });

  it('reads the release, not the live counters: a signal counted after it changes nothing', async () => {
    const before = await publicAnswer({ year: '2023' });
    for (let i = 0; i < 4; i++) store.countSignal(anotherSignal({ municipality: 'GM0118', observedAt: '2023-11-06' }));
    expect(await publicAnswer({ year: '2023' })).toEqual(before);
    expect(released(before).release).toEqual({ releasedAt: now.toISOString(), nextPossibleAt: now.toISOString() });
    expect(released(before).generatedAt).toBe(now.toISOString());
    expect(before).not.toHaveProperty('updatedAt');
  });

  it('suppresses small cells, perturbs the rest by at most 2, and shows a 0 under a shown total as 0 on most keys', async () => {
    const answer = released(await publicAnswer({ year: '2023', province: 'DR' }));
    expect(answer.byMunicipality.GM0118).toBeNull();
    expect(Math.abs(answer.byMunicipality.GM0114! - 14)).toBeLessThanOrEqual(2);
    expect(Math.abs(answer.byMunicipality.GM0106! - 11)).toBeLessThanOrEqual(2);
    expect(Math.abs(answer.total! - 28)).toBeLessThanOrEqual(2);
    expect(answer.byForm.crimineel).toBeNull();
    // March (9) and September (11) are numbers, November (3) is not.
    expect(answer.byMonth['2023-11']).toBeNull();
    expect(answer.previousYear).toBeNull();
    // A cell with no signal shows 0, or null on 1 key in 8 (zeroKeyOf): here 9 municipalities, 8 months, 2 forms.
    const zeros = [
      ...['GM1680', 'GM1681', 'GM0109', 'GM1690', 'GM0119', 'GM1731', 'GM1699', 'GM1730', 'GM1701'].map((m) => answer.byMunicipality[m]),
      ...Object.entries(answer.byMonth).flatMap(([month, shown]) => (['2023-03', '2023-05', '2023-09', '2023-11'].includes(month) ? [] : [shown])),
      answer.byForm.orgaanverwijdering,
      answer.byForm.onbekend,
    ];
    expect(zeros).toHaveLength(19);
    for (const shown of zeros) expect([0, null]).toContain(shown);
    expect(zeros.filter((shown) => shown === 0).length).toBeGreaterThanOrEqual(12);
  });

  it('publishes persons as the byPerson nieuw cell and bySignalledBefore as a table under the total, small counts suppressed', async () => {
    const persons = new MemoryReleases();
    const add = (n: number, person: { signalledBefore: boolean; earlierInYear: boolean }) => {
      for (let i = 0; i < n; i++) persons.countSignal(anotherSignal({ municipality: 'GM0114', observedAt: '2023-03-14', person }));
    };
    add(10, { signalledBefore: false, earlierInYear: false });
    add(3, { signalledBefore: true, earlierInYear: true });
    persons.countSignal(anotherSignal({ municipality: 'GM0118', observedAt: '2023-03-14', person: { signalledBefore: false, earlierInYear: false } }));
    expect((await makeReleaseIfDue(REGION, now, { store: persons, intervalMs: 0 })).outcome).toBe('released');
    const emmen = released(await readPublicStatistics(query({ year: '2023', municipality: 'GM0114' }), { releases: persons }));
    expect(emmen.persons).toBe(emmen.byPerson.nieuw);
    expect(Math.abs(emmen.persons! - 10)).toBeLessThanOrEqual(2);
    expect(emmen.byPerson['eerder-dit-jaar']).toBeNull();
    expect(emmen.bySignalledBefore.ja).toBeNull();
    expect(Math.abs(emmen.bySignalledBefore.nee! - 10)).toBeLessThanOrEqual(2);
    const hoogeveen = released(await readPublicStatistics(query({ year: '2023', municipality: 'GM0118' }), { releases: persons }));
    expect(hoogeveen.persons).toBeNull();
  });

  it('suppresses every count inside a suppressed total, zeros included', async () => {
    const hoogeveen = released(await publicAnswer({ year: '2023', municipality: 'GM0118' }));
    expect(hoogeveen.total).toBeNull();
    for (const table of ONE_WAY_TABLES) for (const count of Object.values(hoogeveen[table])) expect(count, table).toBeNull();
    // A year of 2 in a period: the year and every month of it.
    const period = released(await publicAnswer({ from: '2022', to: '2023', municipality: 'GM0114' }));
    expect(period.byYear['2022']).toBeNull();
    for (let m = 1; m <= 12; m++) expect(period.byMonth[`2022-${String(m).padStart(2, '0')}`]).toBeNull();
    expect([0, null]).toContain(period.byMonth['2023-01']);
    expect(period.byMonth['2023-03']).not.toBeNull();
  });

  it('suppresses a cross cell under a suppressed row or column total, and shows its margins as the one-way tables do', async () => {
    const answer = released(await publicAnswer({ year: '2023', province: 'DR', cross: 'municipality,form' }));
    const cross = answer.cross!;
    // Hoogeveen's row (3) and the crimineel column (3) are suppressed, zeros included.
    expect(Object.values(cross.GM0118!)).toEqual(Object.values(cross.GM0118!).map(() => null));
    for (const row of Object.values(cross)) expect(row.crimineel).toBeNull();
    expect([0, null]).toContain(cross.GM1680!.arbeid);
    expect(Math.abs(cross.GM0114!.arbeid! - 9)).toBeLessThanOrEqual(2);
    const seksueel = cross.GM0114!.seksueel;
    expect(seksueel).not.toBeUndefined();
    if (typeof seksueel === 'number') expect(Math.abs(seksueel - 5)).toBeLessThanOrEqual(2);
  });

  it('gives the same signals the same figure wherever they are counted: the key sums travel with the counts', async () => {
    const region = released(await publicAnswer({ year: '2023' }));
    const emmen = released(await publicAnswer({ year: '2023', municipality: 'GM0114' }));
    const drenthe = released(await publicAnswer({ year: '2023', province: 'DR' }));
    expect(emmen.total).toBe(region.byMunicipality.GM0114);
    expect(drenthe.total).toBe(region.byProvince.DR);
    expect(drenthe.byYear['2023']).toBe(drenthe.total);
    expect(emmen.byForm.arbeid).toBe(released(await publicAnswer({ year: '2023', cross: 'municipality,form' })).cross!.GM0114!.arbeid);
  });

  it('answers the same release and query with the same bytes and the same ETag; a new release changes the ETag', async () => {
    const q = query({ year: '2023', cross: 'month,form' });
    const release = (await store.latest())!;
    const first = JSON.stringify(await readPublicStatistics(q, { releases: store }));
    expect(JSON.stringify(await readPublicStatistics(q, { releases: store }, release))).toBe(first);
    const tag = publicStatisticsTag(release, q, 'application/json');
    expect(publicStatisticsTag({ ...release }, query({ cross: 'month,form', year: '2023' }), 'application/json')).toBe(tag);
    expect(publicStatisticsTag(release, q, 'text/csv')).not.toBe(tag);
    expect(publicStatisticsTag(release, query({ year: '2023' }), 'application/json')).not.toBe(tag);
    expect(publicStatisticsTag(null, q, 'application/json')).not.toBe(tag);

    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal({ observedAt: '2023-12-01', form: i % 2 ? 'arbeid' : 'seksueel' }));
    expect((await makeReleaseIfDue(REGION, new Date('2026-06-01T07:00:00Z'), { store, intervalMs: 0 })).outcome).toBe('released');
    const next = (await store.latest())!;
    expect(publicStatisticsTag(next, q, 'application/json')).not.toBe(tag);
    expect(JSON.stringify(await readPublicStatistics(q, { releases: store }))).not.toBe(first);
  });

  it('says that signals were uncounted at the release, without their number', async () => {
    store.pointer = { ...store.pointer!, uncounted: 2 };
    const answer = await publicAnswer({ year: '2023' });
    expect(answer.warnings).toEqual([{ code: 'uncounted-signals', message: expect.stringContaining('nog niet alle signalen') }]);
    expect(JSON.stringify(answer.warnings)).not.toMatch(/\d/);
  });
});

describe('publicStatisticsCsv', () => {
  it('writes a suppressed count as the label and every number as the JSON has it, laid out as the exact CSV', async () => {
    const answer = released(await publicAnswer({ year: '2023', province: 'DR' }));
    const csv = publicStatisticsCsv(answer, { table: 'byMunicipality' });
    expect(csv.filename).toBe('meldroute-2023-drenthe-gemeente.csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe('code;gemeente;aantal');
    expect(lines).toContain(`GM0118;Hoogeveen;${SUPPRESSED_LABEL}`);
    expect(lines).toContain(`GM0114;Emmen;${answer.byMunicipality.GM0114}`);
    expect(lines).toContain(`GM1680;Aa en Hunze;${answer.byMunicipality.GM1680 ?? SUPPRESSED_LABEL}`);
    const long = publicStatisticsCsv(answer).text;
    expect(long).toContain(`vorm;crimineel;crimineel;${SUPPRESSED_LABEL}\r\n`);
    const cross = publicStatisticsCsv(released(await publicAnswer({ year: '2023', province: 'DR', cross: 'municipality,form' })), {
      table: 'cross',
      cross: 'municipality,form',
    });
    expect(cross.text).toMatch(/GM0118;Hoogeveen;(<7;)+<7\r\n/);
  });

  it('has the layout of the exact CSV: only the counts differ', async () => {
    const q = query({ year: '2023', province: 'DR' });
    const exact = await readStatistics(q, { readItems: async (keys) => ({ items: (await store.readLive(REGION, keys)).items, uncounted: [] }) });
    const shownRows = publicStatisticsCsv(released(await readPublicStatistics(q, { releases: store }))).text.split('\r\n');
    const exactRows = statisticsCsv(exact).text.split('\r\n');
    expect(shownRows.map((row) => row.replace(/;[^;]*$/, ''))).toEqual(exactRows.map((row) => row.replace(/;[^;]*$/, '')));
  });
});

/** Every number in a public answer beside the exact one at the same place. */
function* pairs(shown: PublishedStatistics, exact: Statistics): Generator<[string, number | null, number]> {
  yield ['total', shown.total, exact.total];
  yield ['previousYear', shown.previousYear, exact.previousYear];
  for (const table of ONE_WAY_TABLES) for (const [value, count] of Object.entries(exact[table])) yield [`${table}.${value}`, shown[table][value]!, count];
  for (const [row, columns] of Object.entries(exact.cross ?? {}))
    for (const [column, count] of Object.entries(columns)) yield [`cross.${row}.${column}`, shown.cross![row]![column]!, count];
}

describe('public answers (property)', () => {
  const MUNICIPALITIES = ['GM0106', 'GM0114', 'GM0118', 'GM0119', 'GM1680', 'GM1690'];
  const FORMS = ['arbeid', 'seksueel', 'crimineel', 'onbekend'] as const;
  const signalArb = fc.record({
    municipality: fc.constantFrom(...MUNICIPALITIES),
    form: fc.constantFrom(...FORMS),
    observedAt: fc.constantFrom('2022-02-10', '2023-01-15', '2023-03-14', '2023-07-01', '2023-12-24'),
  });
  const queryArb = fc.record(
    {
      period: fc.constantFrom<Record<string, string>>({ year: '2023' }, { from: '2022', to: '2023' }),
      scope: fc.constantFrom<Record<string, string>>({}, { province: 'DR' }, { municipality: 'GM0114' }, { municipality: 'GM0118' }),
      cross: fc.constantFrom(undefined, 'municipality,form', 'month,form', 'year,form', 'province,form'),
    },
    { requiredKeys: ['period', 'scope'] },
  );

  it(`never shows a number from 1 to 4; a null is at most ${largestSuppressedCount()}, a number within 2; asked twice, the same`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(signalArb, { minLength: 5, maxLength: 60 }), queryArb, async (signals, { period, scope, cross }) => {
        const releases = new MemoryReleases();
        for (const fields of signals) releases.countSignal(anotherSignal(fields));
        expect((await makeReleaseIfDue(REGION, now, { store: releases, intervalMs: 0 })).outcome).toBe('released');
        const q = query({ ...period, ...scope, ...(cross && { cross }) });
        const shown = released(await readPublicStatistics(q, { releases }));
        expect(JSON.stringify(await readPublicStatistics(q, { releases }))).toBe(JSON.stringify(shown));
        const exact = await readStatistics(q, { readItems: async (keys) => ({ items: (await releases.readLive(REGION, keys)).items, uncounted: [] }) });
        for (const [where, published, count] of pairs(shown, exact)) {
          if (published === null) expect(count, where).toBeLessThanOrEqual(largestSuppressedCount());
          else {
            expect(published === 0 || published >= 5, `${where} = ${published}`).toBe(true);
            expect(Math.abs(published - count), where).toBeLessThanOrEqual(2);
            if (count === 0) expect(published, where).toBe(0);
            if (published === 0) expect(count, where).toBe(0);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
