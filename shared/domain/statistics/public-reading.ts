import * as z from 'zod/mini';
import { geography } from '#domain/kernel/index.js';
import { type StatisticsCsv, statisticsCsv } from './csv.js';
import {
  type CellCount,
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
  type PublishedCount,
  publishWithin,
  SUPPRESSED_DESCRIPTION,
  SUPPRESSED_LABEL,
} from './disclosure/index.js';
import { entityTag } from './etag.js';
import type { CounterItem, PublicRelease, ReleaseReader } from './ports.js';
import { type CrossTable, type OneWayTable, readStatistics, type Statistics, type StatisticsQuery, statisticsQueryEcho } from './reading.js';

/**
 * Names the disclosure method in the public ETags, so that a change of method (threshold, p-table,
 * suppression rules) changes every tag although the release and the query stay the same.
 */
export const PUBLIC_METHOD = `cell-key/2 ${SUPPRESSED_LABEL}`;

/** What the public answer says before the region's first release. */
export const NO_RELEASE_NOTICE =
  'Er zijn nog geen openbare cijfers voor deze regio. Ze verschijnen na de eerste publicatie, zodra er genoeg signalen zijn geteld.';

/** The note that belongs beside public figures (docs/disclosure.md, "What the public sees"). */
export const PUBLIC_FIGURES_NOTE = `Cijfers zijn licht verstoord om te voorkomen dat iemand herkenbaar wordt; totalen kunnen daardoor afwijken van de som van de delen. ${SUPPRESSED_LABEL} betekent een ${SUPPRESSED_DESCRIPTION}, of geen, binnen een klein totaal.`;

const UNCOUNTED_NOTICE = 'Bij deze publicatie waren nog niet alle signalen geteld; sommige cijfers kunnen iets te laag zijn tot de volgende publicatie.';

const Published = z.nullable(z.int().check(z.nonnegative()));
const PublishedTable = z.record(z.string(), Published);
const PublicWarning = z.object({ code: z.literal('uncounted-signals'), message: z.string() });

const queryShape = statisticsQueryEcho;

/** A public answer from a release: the shape of GET /v1/statistics, with null for a suppressed count. */
export const PublishedStatisticsSchema = z.object({
  ...queryShape,
  release: z.object({
    releasedAt: z.iso.datetime().check(z.meta({ description: 'Wanneer deze cijfers zijn gepubliceerd ("Bijgewerkt op").' })),
    nextPossibleAt: z.iso
      .datetime()
      .check(z.meta({ description: 'De volgende publicatie op zijn vroegst ("volgende update"); later als er tot dan te weinig verandert.' })),
  }),
  generatedAt: z.iso.datetime().check(z.meta({ description: 'Wanneer deze cijfers zijn gemaakt: bij de publicatie (releasedAt).' })),
  total: Published,
  previousYear: Published,
  byYear: PublishedTable,
  byForm: PublishedTable,
  byProvince: PublishedTable,
  byMunicipality: PublishedTable,
  bySourceType: PublishedTable,
  byChannel: PublishedTable,
  bySignalType: PublishedTable,
  byMonth: PublishedTable,
  byExploitationMunicipality: PublishedTable,
  byMinors: PublishedTable,
  bySector: PublishedTable,
  byAgeBand: PublishedTable,
  byGender: PublishedTable,
  byStatus: PublishedTable,
  byAdditionalForm: PublishedTable,
  cross: z.optional(z.record(z.string(), PublishedTable)),
  warnings: z.array(PublicWarning),
});

/** A public answer before the region's first release: the query, `release: null` and a notice; no figures. */
export const UnreleasedStatisticsSchema = z.object({
  ...queryShape,
  release: z.null(),
  notice: z.string(),
  warnings: z.array(PublicWarning),
});

/**
 * What GET /v1/public/statistics answers. Every count is published under the disclosure policy: a number
 * (perturbed by a few, never 1 to 4), 0, or null for a small count (SUPPRESSED_LABEL, "<7"), which is
 * also what every count inside a suppressed total is. No moment of a change is shown but the release's.
 */
export const PublicStatisticsSchema = z.union([PublishedStatisticsSchema, UnreleasedStatisticsSchema]).check(
  z.meta({
    description: `Openbare cijfers: per publicatie, licht verstoord; null is een ${SUPPRESSED_DESCRIPTION} (in CSV: ${SUPPRESSED_LABEL}). Zonder publicatie: release null en een notice.`,
  }),
);
export type PublicStatistics = z.infer<typeof PublicStatisticsSchema>;
export type PublishedStatistics = z.infer<typeof PublishedStatisticsSchema>;
type PublishedTableValue = Record<string, PublishedCount>;

export interface PublicStatisticsPorts {
  releases: ReleaseReader;
  /** The default policy unless a test says otherwise. */
  policy?: DisclosurePolicy;
}

/** The one-way table whose values are a cross table's rows: its published cells are the rows' totals. */
const CROSS_ROW_TABLES: Record<CrossTable, OneWayTable> = {
  'municipality,form': 'byMunicipality',
  'month,form': 'byMonth',
  'sourceType,form': 'bySourceType',
  'province,form': 'byProvince',
  'exploitationMunicipality,form': 'byExploitationMunicipality',
  'year,form': 'byYear',
};

/** The items with their key sums (`k:<attribute>`) in the place of their counts, so that readStatistics sums those. */
function keySumItems(items: ReadonlyMap<string, CounterItem>): ReadonlyMap<string, CounterItem> {
  return new Map(
    [...items].map(([key, item]) => [
      key,
      {
        counts: Object.fromEntries(Object.entries(item.counts).flatMap(([attribute, sum]) => (attribute.startsWith('k:') ? [[attribute.slice(2), sum]] : []))),
      },
    ]),
  );
}

const sumOf = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/**
 * Every count of the exact answer published under the policy, each inside the published figures that hold
 * it (publishWithin): the total and the year before on their own; each one-way cell inside the total; a
 * month inside its year too, a municipality inside its province; a cross cell inside its row's and its
 * column's one-way figure. A cell under a suppressed figure is suppressed, zeros included.
 */
function protect(counts: Statistics, keySums: Statistics, cross: CrossTable | undefined, policy: DisclosurePolicy) {
  const cellOf = (count: number, keySum: number | undefined): CellCount => ({ count, keySum: keySum ?? 0 });
  const total = publishWithin(cellOf(counts.total, keySums.total), [], policy);
  const previousYear = publishWithin(cellOf(counts.previousYear, keySums.previousYear), [], policy);
  const table = (name: OneWayTable, around: (value: string) => PublishedCount[] = () => []): PublishedTableValue =>
    Object.fromEntries(
      Object.entries(counts[name]).map(([value, count]) => [
        value,
        publishWithin(cellOf(count, Object.hasOwn(keySums[name], value) ? keySums[name][value] : 0), [total, ...around(value)], policy),
      ]),
    );
  const byYear = table('byYear');
  const byProvince = table('byProvince');
  const tables = {
    byYear,
    byForm: table('byForm'),
    byProvince,
    byMunicipality: table('byMunicipality', (code) => {
      const province = geography.municipality(code)?.province;
      return province && Object.hasOwn(byProvince, province) ? [byProvince[province]!] : [];
    }),
    bySourceType: table('bySourceType'),
    byChannel: table('byChannel'),
    bySignalType: table('bySignalType'),
    byMonth: table('byMonth', (month) => (Object.hasOwn(byYear, month.slice(0, 4)) ? [byYear[month.slice(0, 4)]!] : [])),
    byExploitationMunicipality: table('byExploitationMunicipality'),
    byMinors: table('byMinors'),
    bySector: table('bySector'),
    byAgeBand: table('byAgeBand'),
    byGender: table('byGender'),
    byStatus: table('byStatus'),
    byAdditionalForm: table('byAdditionalForm'),
  } satisfies Record<OneWayTable, PublishedTableValue>;

  if (!cross || !counts.cross) return { total, previousYear, ...tables };
  const rowsShown = tables[CROSS_ROW_TABLES[cross]];
  const rows = Object.entries(counts.cross);
  const keyOf = (row: string, column: string) => keySums.cross?.[row]?.[column] ?? 0;
  // A row or column the one-way table lacks (not expected to happen) gets its total published from its own cells.
  const margin = (shown: PublishedTableValue, value: string, cells: Array<[count: number, keySum: number]>) =>
    Object.hasOwn(shown, value) ? shown[value]! : publishWithin(cellOf(sumOf(cells.map(([c]) => c)), sumOf(cells.map(([, k]) => k))), [total], policy);
  const protectedCross = Object.fromEntries(
    rows.map(([row, columns]) => {
      const rowTotal = margin(
        rowsShown,
        row,
        Object.entries(columns).map(([column, count]) => [count, keyOf(row, column)]),
      );
      return [
        row,
        Object.fromEntries(
          Object.entries(columns).map(([column, count]) => {
            const columnTotal = margin(
              tables.byForm,
              column,
              rows.map(([r, cs]) => [cs[column] ?? 0, keyOf(r, column)]),
            );
            return [column, publishWithin(cellOf(count, keyOf(row, column)), [total, rowTotal, columnTotal], policy)];
          }),
        ),
      ];
    }),
  );
  return { total, previousYear, ...tables, cross: protectedCross };
}

/** The query's own fields, as the answer repeats them. */
const echoOf = (query: StatisticsQuery) => ({
  region: query.region,
  ...(query.from === query.to && { year: query.from }),
  from: query.from,
  to: query.to,
  ...(query.province && { province: query.province }),
  ...(query.municipality && { municipality: query.municipality }),
});

/**
 * The public figures for a query: read from the region's latest release (never the live counters), with
 * every number published under the disclosure policy. The same release and query give the same answer,
 * to the byte: nothing in it depends on the moment it is asked. Before the region's first release: the
 * query, `release: null` and a notice.
 *
 * `release` is the latest release when the caller read it already (to answer a conditional request from
 * it alone); null when it knows there is none; left out, it is read here.
 */
export async function readPublicStatistics(query: StatisticsQuery, ports: PublicStatisticsPorts, release?: PublicRelease | null): Promise<PublicStatistics> {
  const policy = ports.policy ?? DEFAULT_DISCLOSURE_POLICY;
  const latest = release === undefined ? ((await ports.releases.latest(query.region)) ?? null) : release;
  if (!latest) return { ...echoOf(query), release: null, notice: NO_RELEASE_NOTICE, warnings: [] };

  // The exact reading, twice over the release's items: once for the counts, once for their key sums, so
  // that every count comes with the key sum of the same signals, in the same shape.
  let items: ReadonlyMap<string, CounterItem> = new Map();
  const releasedAt = new Date(latest.releasedAt);
  const counts = await readStatistics(
    query,
    {
      readItems: async (keys) => {
        items = await ports.releases.readReleased(query.region, latest.releaseId, keys);
        return { items, uncounted: [] };
      },
    },
    releasedAt,
  );
  const keySums = await readStatistics(query, { readItems: async () => ({ items: keySumItems(items), uncounted: [] }) }, releasedAt);

  return {
    ...echoOf(query),
    release: { releasedAt: latest.releasedAt, nextPossibleAt: latest.nextPossibleAt },
    generatedAt: latest.releasedAt,
    ...protect(counts, keySums, query.cross, policy),
    warnings: latest.uncounted > 0 ? [{ code: 'uncounted-signals', message: UNCOUNTED_NOTICE }] : [],
  };
}

/**
 * The ETag of a public answer, from what decides it: the method, the release and the query (with its
 * format and table). It is known once the latest release is read, so a conditional request is answered
 * with a 304 without reading a counter.
 */
export function publicStatisticsTag(release: PublicRelease | null, query: StatisticsQuery, mediaType: 'application/json' | 'text/csv'): string {
  const sorted = Object.fromEntries(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
  return entityTag(mediaType, JSON.stringify({ method: PUBLIC_METHOD, release: release?.releaseId ?? null, query: sorted }));
}

const BOM = '\uFEFF';

/**
 * The public figures as CSV, laid out as the exact ones (statisticsCsv: UTF-8 with BOM, `;`, Dutch headers),
 * with SUPPRESSED_LABEL ("<7") where a count is suppressed. Before the first release: the notice alone.
 */
export function publicStatisticsCsv(statistics: PublicStatistics, options: { table?: OneWayTable | 'cross'; cross?: CrossTable } = {}): StatisticsCsv {
  if (statistics.release === null) {
    const place = statistics.municipality ?? statistics.province ?? statistics.region;
    return { filename: `meldroute-${place.toLowerCase()}-nog-geen-cijfers.csv`, text: `${BOM}melding\r\n"${statistics.notice}"\r\n` };
  }
  const label = (count: PublishedCount) => count ?? SUPPRESSED_LABEL;
  const labelled = (table: PublishedTableValue) => Object.fromEntries(Object.entries(table).map(([value, count]) => [value, label(count)]));
  const { release: _release, cross, warnings, ...figures } = statistics;
  const shaped = Object.fromEntries(
    Object.entries(figures).map(([name, value]) => [name, typeof value === 'object' && value !== null ? labelled(value as PublishedTableValue) : value]),
  );
  // statisticsCsv writes each count through its field(), which writes a text as it is: the label takes
  // the place of a number and nothing else changes (tests/shared/domain/statistics/public-reading.test.ts).
  const asStatistics = {
    ...shaped,
    total: label(statistics.total),
    previousYear: label(statistics.previousYear),
    ...(cross && { cross: Object.fromEntries(Object.entries(cross).map(([row, columns]) => [row, labelled(columns)])) }),
    warnings: warnings.map((w) => ({ ...w, count: '' })),
  } as unknown as Statistics;
  return statisticsCsv(asStatistics, options);
}
