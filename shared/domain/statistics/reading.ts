import * as z from 'zod/mini';
import { geography, todayInNetherlands, UNKNOWN } from '#domain/kernel/index.js';
import { CHANNELS, EXPLOITATION_FORMS, SIGNAL_TYPES } from '#domain/signal/index.js';
import { type CounterScope, counterKey } from './counters.js';
import type { CounterReader } from './ports.js';
import '#domain/kernel/dutch-messages.js';
import { SOURCE_TYPES } from '#domain/partners/index.js';

const YEAR = 'Geef een jaartal van vier cijfers, bijvoorbeeld 2023.';

/**
 * The query string of GET /v1/statistics: strings as they came, every parameter it does not name refused
 * (give it an object without a prototype, so that `__proto__` is a parameter like any other).
 */
export const StatisticsQuerySchema = z
  .strictObject({
    region: z._default(
      z.enum(geography.regionCodes() as [string, ...string[]], {
        error: `Onbekende regio; gebruik ${geography.regionCodes().join(', ')}.`,
      }),
      geography.defaultRegion,
    ),
    // Four decimal digits, read as such: Number() alone would take 0x7DC or 2.012e3 for 2012 too.
    year: z.pipe(
      z.string({ error: YEAR }).check(z.regex(/^\d{4}$/, { error: YEAR }), z.meta({ example: '2023' })),
      z.coerce.number<string>().check(
        z.gte(2000, { error: 'Cijfers zijn er vanaf 2000.' }),
        z.refine((y) => y <= Number(todayInNetherlands().slice(0, 4)), { error: 'Dat jaar is nog niet begonnen.' }),
      ),
    ),
    province: z.optional(z.enum(geography.provinceCodes() as [string, ...string[]], { error: 'Onbekende provincie.' })),
    municipality: z.optional(
      z.enum(geography.municipalityCodes() as [string, ...string[]], {
        error: 'Onbekende gemeentecode; gebruik een CBS-code (GMxxxx) uit de regio.',
      }),
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
    }),
  );
export type StatisticsQuery = z.output<typeof StatisticsQuerySchema>;

const Counts = z.record(z.string(), z.int().check(z.nonnegative()));

/** The figures as GET /v1/statistics answers them. */
export const StatisticsSchema = z.object({
  region: z.string(),
  year: z.int(),
  province: z.optional(z.string()),
  municipality: z.optional(z.string()),
  generatedAt: z.iso.datetime(),
  total: z.int().check(z.nonnegative()),
  byForm: Counts.check(z.meta({ description: 'Per hoofdvorm van uitbuiting; telt op tot total.' })),
  byProvince: Counts,
  byMunicipality: Counts.check(z.meta({ description: 'Elke gemeente in het gebied, nullen inbegrepen, plus onbekend.' })),
  bySourceType: Counts,
  byChannel: Counts,
  bySignalType: Counts,
  byMonth: Counts,
  warnings: z
    .array(
      z.object({
        code: z.literal('uncounted-signals'),
        count: z.int().check(z.positive()),
        message: z.string(),
      }),
    )
    .check(z.meta({ description: 'Leeg als alles is geteld. Anders: hoeveel signalen in dit gebied en jaar (nog) niet konden worden geteld.' })),
});
export type Statistics = z.infer<typeof StatisticsSchema>;

function scopeOf(query: StatisticsQuery): CounterScope {
  if (query.municipality) return { kind: 'municipality', code: query.municipality };
  if (query.province) return { kind: 'province', code: query.province };
  return { kind: 'region', code: query.region };
}

/** Lists every expected key (zeros included), then any other value that was counted. */
function dimension(counters: Record<string, number>, prefix: string, expected: readonly string[]): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of expected) result[value] = counters[`${prefix}#${value}`] ?? 0;
  for (const [attribute, count] of Object.entries(counters)) {
    if (attribute.startsWith(`${prefix}#`)) result[attribute.slice(prefix.length + 1)] = count;
  }
  return result;
}

/**
 * Figures for one region, province or municipality and year, read from a single pre-aggregated counter
 * item, with a warning when signals that could fall in them have not been counted (read in the same
 * round trip: the region's markers).
 */
export async function readStatistics(query: StatisticsQuery, counters: CounterReader, now = new Date()): Promise<Statistics> {
  const { counts: item, uncounted } = await counters.read(counterKey(scopeOf(query), query.year), query.region);
  // A marker counts against these figures unless what could be read of it places the signal elsewhere;
  // `onbekend` is counted in no province or municipality of its own, so it places it elsewhere too.
  const province = query.province ?? (query.municipality && geography.municipality(query.municipality)?.province);
  const missing = uncounted.filter(
    (m) =>
      (m.year === undefined || m.year === query.year) &&
      (!province || m.province === undefined || m.province === province) &&
      (!query.municipality || m.municipality === undefined || m.municipality === query.municipality),
  ).length;
  const region = geography.region(query.region)!;
  const provinces = query.province ? region.provinces.filter((p) => p.code === query.province) : region.provinces;
  const municipalities = query.municipality ? [query.municipality] : [...provinces.flatMap((p) => p.municipalities.map((m) => m.code)), UNKNOWN];
  const months = Array.from({ length: 12 }, (_, i) => `${query.year}-${String(i + 1).padStart(2, '0')}`);

  return {
    region: query.region,
    year: query.year,
    ...(query.province && { province: query.province }),
    ...(query.municipality && { municipality: query.municipality }),
    generatedAt: now.toISOString(),
    total: item.total ?? 0,
    byForm: dimension(item, 'form', EXPLOITATION_FORMS),
    byProvince: dimension(item, 'province', [...region.provinces.map((p) => p.code), UNKNOWN]),
    byMunicipality: dimension(item, 'municipality', municipalities),
    bySourceType: dimension(item, 'sourceType', SOURCE_TYPES),
    byChannel: dimension(item, 'channel', CHANNELS),
    bySignalType: dimension(item, 'signalType', SIGNAL_TYPES),
    byMonth: dimension(item, 'month', months),
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
