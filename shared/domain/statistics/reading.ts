import * as z from 'zod/mini';
import { counterKey, type CounterScope } from './counters.js';
import { geography, UNKNOWN, todayInNetherlands } from '#domain/kernel/index.js';
import type { CounterReader } from './ports.js';
import { EXPLOITATION_FORMS, SIGNAL_TYPES, CHANNELS } from '#domain/signal/index.js';
import '#domain/kernel/dutch-messages.js';
import { SOURCE_TYPES } from '#domain/partners/index.js';

export const StatisticsQuerySchema = z
  .strictObject({
    region: z._default(
      z.enum(geography.regionCodes() as [string, ...string[]], {
        error: `Onbekende regio; gebruik ${geography.regionCodes().join(', ')}.`,
      }),
      geography.defaultRegion,
    ),
    year: z.coerce
      .number({ error: 'Geef een jaartal, bijvoorbeeld 2023.' })
      .check(
        z.multipleOf(1, { error: 'Geef een jaartal, bijvoorbeeld 2023.' }),
        z.gte(2000, { error: 'Cijfers zijn er vanaf 2000.' }),
        z.refine((y) => y <= Number(todayInNetherlands().slice(0, 4)), { error: 'Dat jaar is nog niet begonnen.' }),
        // A whole number: zod/mini checks it as a multiple of 1, the OpenAPI document says integer.
        z.meta({ type: 'integer', example: 2023 }),
      ),
    province: z.optional(z.enum(geography.provinceCodes() as [string, ...string[]], { error: 'Onbekende provincie.' })),
    municipality: z.optional(
      z.enum(geography.municipalityCodes() as [string, ...string[]], {
        error: 'Onbekende gemeentecode; gebruik een CBS-code (GMxxxx) uit de regio.',
      }),
    ),
  })
  .check(z.superRefine((q, ctx) => {
    const province = q.province ? geography.province(q.province) : undefined;
    if (province && province.region !== q.region) {
      ctx.addIssue({ code: 'custom', path: ['province'], message: `Provincie ${q.province} hoort niet bij regio ${q.region}.` });
    }
    const municipality = q.municipality ? geography.municipality(q.municipality) : undefined;
    if (municipality && (municipality.region !== q.region || (q.province && municipality.province !== q.province))) {
      ctx.addIssue({ code: 'custom', path: ['municipality'], message: `Gemeente ${municipality.name} valt buiten dit gebied.` });
    }
  }));
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

/** Figures for one region, province or municipality and year, read from a single pre-aggregated counter item. */
export async function readStatistics(query: StatisticsQuery, counters: CounterReader, now = new Date()): Promise<Statistics> {
  const item = await counters.read(counterKey(scopeOf(query), query.year));
  const region = geography.region(query.region)!;
  const provinces = query.province ? region.provinces.filter((p) => p.code === query.province) : region.provinces;
  const municipalities = query.municipality
    ? [query.municipality]
    : [...provinces.flatMap((p) => p.municipalities.map((m) => m.code)), UNKNOWN];
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
  };
}
