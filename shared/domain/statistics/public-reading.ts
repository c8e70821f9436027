import * as z from 'zod/mini';
import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { type StatisticsCsv, statisticsCsv } from './csv.js';
import {
  type AuditFigure,
  type CellCount,
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
  type PublishedCount,
  publishAudited,
  SUPPRESSED_DESCRIPTION,
  SUPPRESSED_LABEL,
  type SumRelation,
  zeroKeyOf,
} from './disclosure/index.js';
import { entityTag } from './etag.js';
import type { CounterItem, PublicRelease, ReleaseReader } from './ports.js';
import {
  CROSS_ROW_TABLES,
  type CrossTable,
  ONE_WAY_TABLES,
  type OneWayTable,
  queryEchoOf,
  readCounterItems,
  type Statistics,
  type StatisticsQuery,
  statisticsOf,
  statisticsQueryEcho,
} from './reading.js';
import { suppressedWithin } from './route-exclusion.js';

/**
 * Names the disclosure method in the public ETags, so that a change of method (threshold, p-table,
 * suppression rules) changes every tag although the release and the query stay the same.
 */
export const PUBLIC_METHOD = `cell-key/3 ${SUPPRESSED_LABEL}`;

/** What the public answer says before the region's first release. */
export const NO_RELEASE_NOTICE =
  'Er zijn nog geen openbare cijfers voor deze regio. Ze verschijnen na de eerste publicatie, zodra er genoeg signalen zijn geteld.';

/** The note that belongs beside public figures (docs/disclosure.md, "What the public sees"). */
export const PUBLIC_FIGURES_NOTE = `Cijfers zijn licht verstoord om te voorkomen dat iemand herkenbaar wordt; totalen kunnen daardoor afwijken van de som van de delen. ${SUPPRESSED_LABEL} betekent een ${SUPPRESSED_DESCRIPTION}, of soms geen.`;

const UNCOUNTED_NOTICE = 'Bij deze publicatie waren nog niet alle signalen geteld; sommige cijfers kunnen iets te laag zijn tot de volgende publicatie.';

const Published = z.nullable(z.int().check(z.nonnegative()));
const PublishedTable = z.record(z.string(), Published);
const WITHHELD_NOTICE = 'Een deel van deze uitsplitsing kan niet veilig worden getoond en is weggelaten.';

const PublicWarning = z.object({ code: z.enum(['uncounted-signals', 'figures-withheld']), message: z.string() });

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
  persons: Published.check(
    z.meta({ description: 'Het aantal verschillende personen, waar bekend: byPerson.nieuw, beschermd als elke cel (personen per jaar, opgeteld).' }),
  ),
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
  byRoute: PublishedTable,
  byPerson: PublishedTable,
  bySignalledBefore: PublishedTable,
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

/** The items with their key sums (`k:<attribute>`) in the place of their counts, so that statisticsOf sums those. */
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

/** One-way tables whose cells do not add up to the total (a signal may have several additional forms, several routes). */
const NOT_PARTITIONS: ReadonlySet<OneWayTable> = new Set(['byAdditionalForm', 'byRoute']);
/** The dimension a table's cells are labelled by for zeroKeyOf, so that a cross cell and the same cell of a one-way table hide a 0 alike. */
const labelOf = (table: OneWayTable, value: string) => `${table.slice(2).toLowerCase()}#${value}`;

type PublishedFigures = { total: PublishedCount; persons: PublishedCount; previousYear: PublishedCount; cross?: Record<string, PublishedTableValue> } & Record<
  OneWayTable,
  PublishedTableValue
>;

/**
 * Every count of the exact answer published under the policy (publishAudited): the total and the year
 * before on their own; each one-way cell inside the total, a month inside its year too, a municipality
 * inside its province; a cross cell inside its row's and its column's one-way figure. A cell under a
 * suppressed figure is suppressed, zeros included; a 0 in a table is null on some keys, keyed by its table
 * (a month's by its year, a municipality's by its province, a cross cell's by its row), so that the same 0
 * is hidden alike in every answer that holds its table; and the whole answer is audited, its sums being
 * each table under the total, the months under their year, the municipalities under their province and a
 * cross table's rows and columns. `outer`: the answer of all signals when this one leaves some out
 * (excludeRoute); a figure suppressed there is suppressed here too.
 */
function protect(
  counts: Statistics,
  keySums: Statistics,
  query: StatisticsQuery,
  policy: DisclosurePolicy,
  outer?: PublishedFigures,
): PublishedFigures & { withheld: boolean } {
  const figures: AuditFigure[] = [];
  const relations: SumRelation[] = [];
  const add = (cell: CellCount, options: Omit<AuditFigure, 'count' | 'keySum'>, outerValue?: PublishedCount) =>
    figures.push({ ...cell, ...options, ...(outerValue === null && { forcedNull: true }) }) - 1;
  const cellOf = (count: number, keySum: number | undefined): CellCount => ({ count, keySum: keySum ?? 0 });
  const total = add(cellOf(counts.total, keySums.total), {}, outer?.total);
  const previousYear = add(cellOf(counts.previousYear, keySums.previousYear), {}, outer?.previousYear);
  const oneWay = (name: OneWayTable, value: string) => cellOf(counts[name][value]!, Object.hasOwn(keySums[name], value) ? keySums[name][value] : 0);

  // The figure a cell lies in besides the total (its year, its province), if any; containers come first.
  const index = {} as Record<OneWayTable, Record<string, number>>;
  const containerOf = (name: OneWayTable, value: string): number | undefined => {
    if (name === 'byMonth') return index.byYear[value.slice(0, 4)];
    if (name === 'byMunicipality' && !query.province && !query.municipality) {
      const province = geography.municipality(value)?.province;
      return province === undefined ? undefined : index.byProvince[province];
    }
    return undefined;
  };
  // A province other than the answer's own holds nothing by construction: a 0 there hides nothing.
  const ownProvince = query.province ?? (query.municipality && geography.municipality(query.municipality)?.province);
  const structural = (name: OneWayTable, value: string) => name === 'byProvince' && !!ownProvince && value !== ownProvince;
  const order: OneWayTable[] = ['byYear', 'byProvince', ...ONE_WAY_TABLES.filter((name) => name !== 'byYear' && name !== 'byProvince')];
  for (const name of order) {
    const values = Object.keys(counts[name]);
    const partition = !NOT_PARTITIONS.has(name);
    // The cells that share a container, for the zero keys: named values only, so that 'onbekend' (which a
    // province's own answer has and the region's has per region) does not make the same table key apart.
    const groups = new Map<number, string[]>();
    for (const value of values) {
      const around = containerOf(name, value) ?? total;
      groups.set(around, [...(groups.get(around) ?? []), value]);
    }
    const zeroRelation = (around: number) => [
      figures[around]!,
      ...groups
        .get(around)!
        .filter((v) => v !== UNKNOWN)
        .map((v) => oneWay(name, v)),
    ];
    index[name] = {};
    for (const value of values) {
      const around = containerOf(name, value);
      const part = partition && !structural(name, value);
      index[name][value] = add(
        oneWay(name, value),
        {
          within: around === undefined ? [total] : [total, around],
          ...(part && { tablePart: true, zeroKey: zeroKeyOf(labelOf(name, value), zeroRelation(around ?? total)) }),
        },
        outer?.[name]?.[value],
      );
    }
    if (!partition) continue;
    relations.push({ total, parts: values.map((value) => index[name][value]!) });
    for (const [around, grouped] of groups) {
      if (around !== total) relations.push({ total: around, parts: grouped.map((value) => index[name][value]!), exact: name === 'byMonth' });
    }
  }

  let crossAt: Record<string, Record<string, number>> | undefined;
  const crossCounts = counts.cross;
  if (query.cross && crossCounts) {
    const rowTable = CROSS_ROW_TABLES[query.cross];
    const rows = Object.entries(crossCounts);
    const keyOf = (row: string, column: string) => keySums.cross?.[row]?.[column] ?? 0;
    // A row or column the one-way table lacks (not expected to happen) becomes a figure of its own cells.
    const margin = (table: OneWayTable, value: string, cells: CellCount[]) =>
      Object.hasOwn(index[table], value)
        ? index[table][value]!
        : add(cellOf(sumOf(cells.map((c) => c.count)), sumOf(cells.map((c) => c.keySum))), { within: [total] });
    const columns = [...new Set(rows.flatMap(([, cs]) => Object.keys(cs)))];
    const cellAt = (row: string, column: string) => cellOf(crossCounts[row]?.[column] ?? 0, keyOf(row, column));
    const columnAt = Object.fromEntries(
      columns.map((column) => [
        column,
        margin(
          'byForm',
          column,
          rows.map(([row]) => cellAt(row, column)),
        ),
      ]),
    );
    crossAt = {};
    for (const [row] of rows) {
      const rowCells = columns.map((column) => cellAt(row, column));
      const rowAt = margin(rowTable, row, rowCells);
      const zeroRelation = [figures[rowAt]!, ...columns.flatMap((column, c) => (column === UNKNOWN ? [] : [rowCells[c]!]))];
      crossAt[row] = Object.fromEntries(
        columns.map((column, c) => [
          column,
          add(
            rowCells[c]!,
            { within: [total, rowAt, columnAt[column]!], tablePart: true, zeroKey: zeroKeyOf(labelOf('byForm', column), zeroRelation) },
            outer?.cross?.[row]?.[column],
          ),
        ]),
      );
      relations.push({ total: rowAt, parts: columns.map((column) => crossAt![row]![column]!) });
    }
    for (const column of columns) relations.push({ total: columnAt[column]!, parts: rows.map(([row]) => crossAt![row]![column]!) });
  }

  const { published, withheld } = publishAudited(figures, relations, policy);
  const tables = Object.fromEntries(
    ONE_WAY_TABLES.map((name) => [name, Object.fromEntries(Object.entries(index[name]).map(([value, i]) => [value, published[i]!]))]),
  ) as Record<OneWayTable, PublishedTableValue>;
  return {
    total: published[total]!,
    // The `nieuw` cell of byPerson, a one-way table under the total like any other: published as it is there.
    persons: tables.byPerson.nieuw ?? null,
    previousYear: published[previousYear]!,
    ...tables,
    ...(crossAt && {
      cross: Object.fromEntries(Object.entries(crossAt).map(([row, cs]) => [row, Object.fromEntries(Object.entries(cs).map(([c, i]) => [c, published[i]!]))])),
    }),
    withheld,
  };
}

/**
 * protect, and if the audit could not clear it (a cross of rows and columns pinning a small count with no
 * zero left to hide; not seen in the tests): the answer without its cross table, and failing that (not
 * expected for tables under one total) every table's cells suppressed, with a warning either way.
 */
function protectOrWithhold(counts: Statistics, keySums: Statistics, query: StatisticsQuery, policy: DisclosurePolicy, outer?: PublishedFigures) {
  const full = protect(counts, keySums, query, policy, outer);
  if (!full.withheld) return { figures: withoutFlag(full), withheld: false };
  const { cross: _cross, ...withoutCross } = query;
  const plain = protect(counts, keySums, withoutCross, policy, outer);
  if (!plain.withheld) return { figures: withoutFlag(plain), withheld: true };
  const blank = (table: PublishedTableValue) => Object.fromEntries(Object.keys(table).map((value) => [value, null]));
  const tables = Object.fromEntries(ONE_WAY_TABLES.map((name) => [name, blank(plain[name])])) as Record<OneWayTable, PublishedTableValue>;
  return { figures: { total: plain.total, persons: null, previousYear: plain.previousYear, ...tables }, withheld: true };
}

const withoutFlag = ({ withheld: _withheld, ...figures }: PublishedFigures & { withheld: boolean }): PublishedFigures => figures;

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
  if (!latest) return { ...queryEchoOf(query), release: null, notice: NO_RELEASE_NOTICE, warnings: [] };

  // The exact reading, twice over the release's items: once for the counts, once for their key sums, so
  // that every count comes with the key sum of the same signals, in the same shape.
  const releasedAt = new Date(latest.releasedAt);
  const { items, all } = await readCounterItems(query, {
    readItems: async (keys) => ({ items: await ports.releases.readReleased(query.region, latest.releaseId, keys), uncounted: [] }),
  });
  const published = (from: ReadonlyMap<string, CounterItem>, outer?: PublishedFigures) =>
    protectOrWithhold(statisticsOf(query, from, [], releasedAt), statisticsOf(query, keySumItems(from), [], releasedAt), query, policy, outer);
  // Without some routes: the figures of fewer signals (their own key sums, so their own noise), each
  // suppressed where the figure of all signals is, so that the two answers side by side give nothing away
  // (and audited as suppressed there: `outer`).
  const everything = query.excludeRoute ? published(all) : undefined;
  const mine = published(items, everything?.figures);
  const figures = everything ? suppressedWithin(mine.figures, everything.figures) : mine.figures;
  const withheld = mine.withheld || !!everything?.withheld;

  return {
    ...queryEchoOf(query),
    release: { releasedAt: latest.releasedAt, nextPossibleAt: latest.nextPossibleAt },
    generatedAt: latest.releasedAt,
    ...figures,
    warnings: [
      ...(latest.uncounted > 0 ? [{ code: 'uncounted-signals' as const, message: UNCOUNTED_NOTICE }] : []),
      ...(withheld ? [{ code: 'figures-withheld' as const, message: WITHHELD_NOTICE }] : []),
    ],
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
  // excludeRoute is the query's, not a table: it names the file as it is.
  const { release: _release, cross, warnings, excludeRoute, ...figures } = statistics;
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
    ...(excludeRoute && { excludeRoute }),
  } as unknown as Statistics;
  return statisticsCsv(asStatistics, options);
}
