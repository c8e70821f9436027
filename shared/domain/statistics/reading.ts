import * as z from 'zod/mini';
import { geography, todayInNetherlands, UNKNOWN } from '#domain/kernel/index.js';
import { AGE_BANDS, CHANNELS, EXPLOITATION_FORMS, GENDERS, SECTORS, SIGNAL_STATUSES, SIGNAL_TYPES } from '#domain/signal/index.js';
import { type CounterScope, counterKey, NO_DECISION, PERSON_VALUES, ROUTE_VALUES, SIGNALLED_BEFORE_VALUES } from './counters.js';
import type { CounterItem, CounterItemsReader, UncountedMarker } from './ports.js';
import { routeSetKeysOf, withoutRoutes } from './route-exclusion.js';
import '#domain/kernel/dutch-messages.js';
import { SOURCE_TYPES } from '#domain/partners/index.js';

const YEAR = 'Geef een jaartal van vier cijfers, bijvoorbeeld 2023.';
const EXCLUDE_ROUTE = `Onbekende route; kies een of meer van ${ROUTE_VALUES.join(', ')}, gescheiden door komma's.`;

/**
 * The most years one answer sums. Each year is one counter item; with the year before and the markers
 * they fit one BatchGetItem (at most 100 keys) with room to spare.
 */
export const MAX_YEARS = 30;

/** The one-way tables of an answer, in the order the answer and the CSV list them. */
export const ONE_WAY_TABLES = [
  'byYear',
  'byForm',
  'byProvince',
  'byMunicipality',
  'bySourceType',
  'byChannel',
  'bySignalType',
  'byMonth',
  'byExploitationMunicipality',
  'byMinors',
  'bySector',
  'byAgeBand',
  'byGender',
  'byStatus',
  'byAdditionalForm',
  'byRoute',
  'byPerson',
  'bySignalledBefore',
] as const;
export type OneWayTable = (typeof ONE_WAY_TABLES)[number];

/** The two-way tables `cross` may ask for: `<row>,<column>`. */
export const CROSS_TABLES = ['municipality,form', 'month,form', 'sourceType,form', 'province,form', 'exploitationMunicipality,form', 'year,form'] as const;
export type CrossTable = (typeof CROSS_TABLES)[number];
/** The one-way table whose values are a cross table's rows: the same values, and its counts the rows' totals. */
export const CROSS_ROW_TABLES: Record<CrossTable, OneWayTable> = {
  'municipality,form': 'byMunicipality',
  'month,form': 'byMonth',
  'sourceType,form': 'bySourceType',
  'province,form': 'byProvince',
  'exploitationMunicipality,form': 'byExploitationMunicipality',
  'year,form': 'byYear',
};

/** Whether minors seem involved, as the aggregator counts it (`minors#<value>`). */
export const MINORS_VALUES = ['ja', 'nee', UNKNOWN] as const;
/** A withdrawn signal is counted nowhere, so `ingetrokken` never has a count. */
const COUNTED_STATUSES = SIGNAL_STATUSES.filter((s) => s !== 'ingetrokken');

const thisYear = () => Number(todayInNetherlands().slice(0, 4));

/** Four decimal digits, read as such: Number() alone would take 0x7DC or 2.012e3 for 2012 too. */
const yearParameter = (example: string, description: string) =>
  z.optional(
    z.pipe(
      z.string({ error: YEAR }).check(z.regex(/^\d{4}$/, { error: YEAR }), z.meta({ example, description })),
      z.coerce.number<string>().check(
        z.gte(2000, { error: 'Cijfers zijn er vanaf 2000.' }),
        z.refine((y) => y <= thisYear(), { error: 'Dat jaar is nog niet begonnen.' }),
      ),
    ),
  );

/**
 * The query string of GET /v1/statistics: strings as they came, every parameter it does not name refused
 * (give it an object without a prototype, so that `__proto__` is a parameter like any other). The period
 * is `year`, or `from` up to and including `to` (this year when left out); the output always has both.
 */
export const StatisticsQuerySchema = z.pipe(
  z
    .strictObject({
      region: z._default(
        z.enum(geography.regionCodes() as [string, ...string[]], {
          error: `Onbekende regio; gebruik ${geography.regionCodes().join(', ')}.`,
        }),
        geography.defaultRegion,
      ),
      year: yearParameter('2023', 'Eén jaar; hetzelfde als from en to met dat jaar.'),
      from: yearParameter('2019', 'Eerste jaar van de periode (in plaats van year).'),
      to: yearParameter('2023', `Laatste jaar van de periode, inbegrepen; standaard dit jaar. Hoogstens ${MAX_YEARS} jaar na elkaar.`),
      province: z.optional(z.enum(geography.provinceCodes() as [string, ...string[]], { error: 'Onbekende provincie.' })),
      municipality: z.optional(
        z.enum(geography.municipalityCodes() as [string, ...string[]], {
          error: 'Onbekende gemeentecode; gebruik een CBS-code (GMxxxx) uit de regio.',
        }),
      ),
      cross: z.optional(
        z
          .enum(CROSS_TABLES, { error: `Onbekende kruistabel; kies ${CROSS_TABLES.join(' of ')}.` })
          .check(z.meta({ description: 'Voegt een kruistabel toe (rijen × kolommen, nullen inbegrepen).' })),
      ),
      format: z.optional(
        z
          .enum(['json', 'csv'], { error: 'Kies json of csv.' })
          .check(z.meta({ description: 'Gaat voor de Accept-header; csv voor een link die Excel opent.' })),
      ),
      excludeRoute: z.optional(
        z.string({ error: EXCLUDE_ROUTE }).check(
          z.refine((text) => text.split(',').every((route) => (ROUTE_VALUES as readonly string[]).includes(route)), { error: EXCLUDE_ROUTE }),
          z.meta({
            example: 'riec',
            description: `Telt alleen de signalen zonder deze route(s) (een of meer van ${ROUTE_VALUES.join(', ')}, met komma's of herhaald), in elke tabel van het antwoord: excludeRoute=riec geeft de cijfers zonder de zaken die bij het RIEC zijn gemeld.`,
          }),
        ),
      ),
      table: z.optional(
        z
          .enum([...ONE_WAY_TABLES, 'cross'], { error: `Onbekende tabel; kies ${[...ONE_WAY_TABLES, 'cross'].join(', ')}.` })
          .check(z.meta({ description: 'Alleen bij CSV: één tabel (cross: de kruistabel). Zonder: alle tabellen onder elkaar.' })),
      ),
    })
    .check(
      z.superRefine((q, ctx) => {
        const province = q.province ? geography.province(q.province) : undefined;
        if (province && province.region !== q.region) {
          ctx.addIssue({ code: 'custom', path: ['province'], message: `Provincie ${q.province} hoort niet bij regio ${q.region}.` });
        }
        const municipality = q.municipality ? geography.municipality(q.municipality) : undefined;
        if (municipality && (municipality.region !== q.region || (q.province && municipality.province !== q.province))) {
          ctx.addIssue({ code: 'custom', path: ['municipality'], message: `Gemeente ${municipality.name} valt buiten dit gebied.` });
        }
        // The period. A year that failed its own checks may still be here; only years that passed them are compared.
        const valid = (y: unknown): y is number => typeof y === 'number' && y >= 2000 && y <= thisYear();
        if (q.year !== undefined && (q.from !== undefined || q.to !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['year'], message: 'Geef year, of from en to, niet allebei.' });
        } else if (q.year === undefined && q.from === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: q.to === undefined ? ['year'] : ['from'],
            message: q.to === undefined ? 'Geef een jaar (year) of een periode (from en to).' : 'Geef bij to ook from.',
          });
        } else if (valid(q.from) && valid(q.to ?? thisYear())) {
          const to = q.to ?? thisYear();
          if (to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to ligt vóór from.' });
          else if (to - q.from + 1 > MAX_YEARS) {
            ctx.addIssue({ code: 'custom', path: [q.to === undefined ? 'from' : 'to'], message: `Hoogstens ${MAX_YEARS} jaar tegelijk.` });
          }
        }
        if (q.table === 'cross' && q.cross === undefined) {
          ctx.addIssue({ code: 'custom', path: ['table'], message: 'table=cross vraagt ook cross, bijvoorbeeld cross=municipality,form.' });
        }
      }),
    ),
  z.transform(({ year, from, to, excludeRoute, ...rest }) => ({
    ...rest,
    ...(year !== undefined && { year }),
    from: year ?? (from as number),
    to: year ?? to ?? thisYear(),
    // Each route once, sorted: the same question gives the same answer and the same ETag.
    ...(excludeRoute !== undefined && { excludeRoute: [...new Set(excludeRoute.split(','))].sort() }),
  })),
);
export type StatisticsQuery = z.output<typeof StatisticsQuerySchema>;

const Count = z.int().check(z.nonnegative());
const Counts = z.record(z.string(), Count);

/** The query an answer is about, echoed in it: the same in the exact and the public answers. */
export const statisticsQueryEcho = {
  region: z.string(),
  year: z.optional(z.int().check(z.meta({ description: 'Het jaar, als de periode één jaar is.' }))),
  from: z.int(),
  to: z.int(),
  province: z.optional(z.string()),
  municipality: z.optional(z.string()),
  excludeRoute: z.optional(
    z.array(z.string()).check(z.meta({ description: 'De routes waarvan de signalen zijn weggelaten, in elke tabel; zonder: alle signalen.' })),
  ),
};

/** The query's own fields, as an answer repeats them (statisticsQueryEcho). */
export const queryEchoOf = (query: StatisticsQuery) => ({
  region: query.region,
  ...(query.from === query.to && { year: query.from }),
  from: query.from,
  to: query.to,
  ...(query.province && { province: query.province }),
  ...(query.municipality && { municipality: query.municipality }),
  ...(query.excludeRoute && { excludeRoute: query.excludeRoute }),
});

/** The figures as GET /v1/statistics answers them. */
export const StatisticsSchema = z.object({
  ...statisticsQueryEcho,
  generatedAt: z.iso.datetime(),
  updatedAt: z.nullable(
    z.iso.datetime().check(z.meta({ description: 'Wanneer een van deze cijfers het laatst veranderde; null als dat (nog) niet bekend is.' })),
  ),
  total: Count,
  persons: Count.check(
    z.meta({
      description:
        'Het aantal verschillende personen onder de signalen, waar bekend (byPerson.nieuw): personen per jaar, opgeteld. Een signaal zonder gegevens van een persoon telt niet mee.',
    }),
  ),
  previousYear: Count.check(z.meta({ description: 'Het totaal van het jaar vóór from, in hetzelfde gebied: om de verandering te tonen.' })),
  byYear: Counts.check(z.meta({ description: 'Elk jaar van de periode, nullen inbegrepen; telt op tot total.' })),
  byForm: Counts.check(z.meta({ description: 'Per hoofdvorm van uitbuiting; telt op tot total.' })),
  byProvince: Counts,
  byMunicipality: Counts.check(z.meta({ description: 'Elke gemeente in het gebied, nullen inbegrepen, plus onbekend.' })),
  bySourceType: Counts,
  byChannel: Counts,
  bySignalType: Counts,
  byMonth: Counts.check(z.meta({ description: 'Elke maand van de periode (JJJJ-MM), nullen inbegrepen.' })),
  byExploitationMunicipality: Counts.check(z.meta({ description: 'Waar de uitbuiting plaatsvond: elke gemeente in het gebied plus onbekend.' })),
  byMinors: Counts.check(z.meta({ description: 'Of minderjarigen betrokken lijken: ja, nee, onbekend.' })),
  bySector: Counts,
  byAgeBand: Counts,
  byGender: Counts,
  byStatus: Counts,
  byAdditionalForm: Counts.check(z.meta({ description: 'Bijkomende vormen naast de hoofdvorm; een signaal kan er meer hebben, dus telt niet op tot total.' })),
  byRoute: Counts.check(
    z.meta({
      description: `Per route die de weeg- en monitortafel koos (het laatste besluit), plus ${NO_DECISION} (nog geen besluit); een signaal kan meer routes tegelijk hebben, dus telt niet op tot total.`,
    }),
  ),
  byPerson: Counts.check(
    z.meta({
      description:
        'Per signaal, naar aankomst: nieuw (de eerste van die persoon met een waarneming in dat jaar), eerder-dit-jaar, onbekend (geen gegevens van een persoon, of nog niet gekoppeld); telt op tot total.',
    }),
  ),
  bySignalledBefore: Counts.check(
    z.meta({
      description: 'Of van dezelfde persoon al eerder (in welk jaar ook) een signaal binnenkwam: ja, nee, onbekend; telt op tot total.',
    }),
  ),
  cross: z.optional(
    z.record(z.string(), Counts).check(z.meta({ description: 'De kruistabel van cross: { rij: { kolom: aantal } }, elke rij en kolom met nullen.' })),
  ),
  warnings: z
    .array(
      z.object({
        code: z.literal('uncounted-signals'),
        count: z.int().check(z.positive()),
        message: z.string(),
      }),
    )
    .check(z.meta({ description: 'Leeg als alles is geteld. Anders: hoeveel signalen in dit gebied en deze periode (nog) niet konden worden geteld.' })),
});
export type Statistics = z.infer<typeof StatisticsSchema>;

function scopeOf(query: StatisticsQuery): CounterScope {
  if (query.municipality) return { kind: 'municipality', code: query.municipality };
  if (query.province) return { kind: 'province', code: query.province };
  return { kind: 'region', code: query.region };
}

const yearsOf = (query: StatisticsQuery) => Array.from({ length: query.to - query.from + 1 }, (_, i) => query.from + i);
const monthsOf = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/** The counts of several items added up; the key sums (`k:…`) are for disclosure control and left out. */
function sumOf(items: readonly Record<string, number>[]): Record<string, number> {
  const sum = new Map<string, number>();
  for (const item of items) {
    for (const [attribute, count] of Object.entries(item)) {
      if (!attribute.startsWith('k:') && Number.isFinite(count)) sum.set(attribute, (sum.get(attribute) ?? 0) + count);
    }
  }
  return Object.fromEntries(sum);
}

/** The values counted under a prefix that are not expected, sorted, so that an answer is the same whatever order the item's attributes came in. */
function othersCounted(counts: Record<string, number>, prefix: string, expected: readonly string[], at: (rest: string) => string): string[] {
  const known = new Set(expected);
  const others = new Set<string>();
  for (const attribute of Object.keys(counts)) {
    if (!attribute.startsWith(prefix)) continue;
    const value = at(attribute.slice(prefix.length));
    if (!known.has(value)) others.add(value);
  }
  return [...others].sort();
}

/**
 * Lists every expected value (zeros included), then any other value that was counted. Built from entries,
 * so that a counted value such as `__proto__` is a key like any other.
 */
function dimension(counts: Record<string, number>, name: string, expected: readonly string[]): Record<string, number> {
  const prefix = `${name}#`;
  const values = [...expected, ...othersCounted(counts, prefix, expected, (rest) => rest)];
  return Object.fromEntries(values.map((value) => [value, counts[`${prefix}${value}`] ?? 0]));
}

/** A two-way table counted as `<row>|<column>#<rowValue>|<columnValue>`: every row with every column, zeros included. */
function crossOf(counts: Record<string, number>, row: string, column: string, rows: readonly string[], columns: readonly string[]) {
  const prefix = `${row}|${column}#`;
  const allRows = [...rows, ...othersCounted(counts, prefix, rows, (rest) => rest.slice(0, rest.lastIndexOf('|')))];
  const allColumns = [...columns, ...othersCounted(counts, prefix, columns, (rest) => rest.slice(rest.lastIndexOf('|') + 1))];
  return Object.fromEntries(allRows.map((r) => [r, Object.fromEntries(allColumns.map((c) => [c, counts[`${prefix}${r}|${c}`] ?? 0]))]));
}

/** The latest of the items' change times; null when none says. */
function latest(times: readonly (string | undefined)[]): string | null {
  const ms = times.map((t) => (t === undefined ? Number.NaN : Date.parse(t))).filter(Number.isFinite);
  return ms.length === 0 ? null : new Date(Math.max(...ms)).toISOString();
}

/**
 * The counter items a query sums (one scope, each year of its period and the year before), with the region's
 * markers: one round trip; with excludeRoute a second for the route-set items to leave out (route-exclusion.ts),
 * which are subtracted here, counts and key sums alike (`items`; `all` keeps them before, for disclosure
 * control). The cost follows the years and route sets, never the number of signals.
 */
export async function readCounterItems(
  query: StatisticsQuery,
  counters: CounterItemsReader,
): Promise<{ items: ReadonlyMap<string, CounterItem>; all: ReadonlyMap<string, CounterItem>; uncounted: UncountedMarker[] }> {
  const scope = scopeOf(query);
  const keys = [...yearsOf(query), query.from - 1].map((year) => counterKey(scope, year));
  const { items: all, uncounted } = await counters.readItems(keys, query.region);
  if (!query.excludeRoute) return { items: all, all, uncounted };
  const routeSets = routeSetKeysOf(all, query.excludeRoute);
  const read = routeSets.length > 0 ? (await counters.readItems(routeSets, query.region)).items : new Map<string, CounterItem>();
  return { items: withoutRoutes(all, read, query.excludeRoute), all, uncounted };
}

/**
 * Figures for one region, province or municipality over one or more years, summed from the pre-aggregated
 * counter items of those years (and the year before, for the change), read together with the region's
 * markers: a warning says when signals that could fall in them have not been counted.
 */
export async function readStatistics(query: StatisticsQuery, counters: CounterItemsReader, now = new Date()): Promise<Statistics> {
  const { items, uncounted } = await readCounterItems(query, counters);
  return statisticsOf(query, items, uncounted, now);
}

/** The answer to a query from its counter items (readCounterItems); no I/O. */
export function statisticsOf(
  query: StatisticsQuery,
  items: ReadonlyMap<string, CounterItem>,
  uncounted: readonly UncountedMarker[],
  now = new Date(),
): Statistics {
  const scope = scopeOf(query);
  const years = yearsOf(query);
  const keyOf = (year: number) => counterKey(scope, year);
  const countsOf = (year: number) => sumOf([items.get(keyOf(year))?.counts ?? {}]);
  const yearly = years.map(countsOf);
  const counts = sumOf(yearly);

  // A marker counts against these figures unless what could be read of it places the signal elsewhere;
  // `onbekend` is counted in no province or municipality of its own, so it places it elsewhere too.
  const province = query.province ?? (query.municipality && geography.municipality(query.municipality)?.province);
  const missing = uncounted.filter(
    (m) =>
      (m.year === undefined || (m.year >= query.from && m.year <= query.to)) &&
      (!province || m.province === undefined || m.province === province) &&
      (!query.municipality || m.municipality === undefined || m.municipality === query.municipality),
  ).length;

  const region = geography.region(query.region)!;
  const provinces = query.province ? region.provinces.filter((p) => p.code === query.province) : region.provinces;
  const municipalities = query.municipality ? [query.municipality] : [...provinces.flatMap((p) => p.municipalities.map((m) => m.code)), UNKNOWN];
  // Where the exploitation took place is not what placed the signal, so it may be unknown in a municipality too.
  const exploitationMunicipalities = query.municipality ? [query.municipality, UNKNOWN] : municipalities;
  const expected = {
    form: EXPLOITATION_FORMS,
    province: [...region.provinces.map((p) => p.code), UNKNOWN],
    municipality: municipalities,
    sourceType: SOURCE_TYPES,
    month: years.flatMap(monthsOf),
    exploitationMunicipality: exploitationMunicipalities,
  };

  let cross: Record<string, Record<string, number>> | undefined;
  if (query.cross === 'year,form') {
    cross = Object.fromEntries(years.map((year, i) => [String(year), dimension(yearly[i]!, 'form', EXPLOITATION_FORMS)]));
  } else if (query.cross) {
    const [row, column] = query.cross.split(',') as [keyof typeof expected, 'form'];
    cross = crossOf(counts, row, column, expected[row], expected[column]);
  }

  return {
    ...queryEchoOf(query),
    generatedAt: now.toISOString(),
    updatedAt: latest([...items.values()].map((item) => item.updatedAt)),
    total: counts.total ?? 0,
    persons: counts[`person#nieuw`] ?? 0,
    previousYear: countsOf(query.from - 1).total ?? 0,
    byYear: Object.fromEntries(years.map((year, i) => [String(year), yearly[i]!.total ?? 0])),
    byForm: dimension(counts, 'form', expected.form),
    byProvince: dimension(counts, 'province', expected.province),
    byMunicipality: dimension(counts, 'municipality', expected.municipality),
    bySourceType: dimension(counts, 'sourceType', expected.sourceType),
    byChannel: dimension(counts, 'channel', CHANNELS),
    bySignalType: dimension(counts, 'signalType', SIGNAL_TYPES),
    byMonth: dimension(counts, 'month', expected.month),
    byExploitationMunicipality: dimension(counts, 'exploitationMunicipality', expected.exploitationMunicipality),
    byMinors: dimension(counts, 'minors', MINORS_VALUES),
    bySector: dimension(counts, 'sector', [...SECTORS, UNKNOWN]),
    byAgeBand: dimension(counts, 'ageBand', [...AGE_BANDS, UNKNOWN]),
    byGender: dimension(counts, 'gender', GENDERS),
    byStatus: dimension(counts, 'status', COUNTED_STATUSES),
    byAdditionalForm: dimension(counts, 'additionalForm', EXPLOITATION_FORMS),
    byRoute: dimension(counts, 'route', ROUTE_VALUES),
    byPerson: dimension(counts, 'person', PERSON_VALUES),
    bySignalledBefore: dimension(counts, 'signalledBefore', SIGNALLED_BEFORE_VALUES),
    ...(cross && { cross }),
    warnings:
      missing === 0
        ? []
        : [
            {
              code: 'uncounted-signals',
              count: missing,
              message:
                missing === 1
                  ? '1 signaal kon (nog) niet worden geteld; deze cijfers zijn te laag tot het opnieuw is geteld.'
                  : `${missing} signalen konden (nog) niet worden geteld; deze cijfers zijn te laag tot ze opnieuw zijn geteld.`,
            },
          ],
  };
}
