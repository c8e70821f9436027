import * as z from 'zod/mini';
import { geography } from '#domain/kernel/index.js';
import { type StatisticsQuery, StatisticsQuerySchema } from '#domain/statistics/index.js';
import { DEFAULT_YEARS, type FilterField, type FilterState } from '../../web/pages/cijfers-filter.js';

/**
 * The page's query string, for the OpenAPI document. The handler reads these three and ignores any other
 * parameter: a link to a public page picks up tracking parameters on the way (fbclid, utm_*), and refusing
 * the page for them would break links that people share.
 */
export const CijfersQuerySchema = z.object({
  van: z.optional(z.string().check(z.meta({ example: '2021', description: 'Eerste jaar (vier cijfers). Zonder van en tot: de laatste vijf jaar.' }))),
  tot: z.optional(z.string().check(z.meta({ example: '2025', description: 'Laatste jaar, inbegrepen; zonder: dit jaar (met alleen tot: alleen dat jaar).' }))),
  gebied: z.optional(
    z.string().check(z.meta({ example: 'DR', description: 'De regio (noord-nederland, standaard), een provincie (GR, FR, DR) of een gemeente (GMxxxx).' })),
  ),
  zonder: z.optional(
    z.string().check(z.meta({ example: 'riec', description: 'Laat signalen met deze route weg (excludeRoute): riec geeft de cijfers zonder RIEC-zaken.' })),
  ),
});

/** Where an issue of the statistics query lands on the page's form. */
const FIELD_OF: Record<string, FilterField> = {
  year: 'van',
  from: 'van',
  to: 'tot',
  region: 'gebied',
  province: 'gebied',
  municipality: 'gebied',
  excludeRoute: 'zonder',
};

/** The scope the statistics query asks for the chosen area; undefined for a code that names none. */
function areaOf(code: string): { region: string; province?: string; municipality?: string } | undefined {
  if (geography.region(code)) return { region: code };
  const province = geography.province(code);
  if (province) return { region: province.region, province: province.code };
  const municipality = /^GM\d{4}$/i.test(code) ? geography.municipality(code) : undefined;
  if (municipality) return { region: municipality.region, municipality: municipality.code };
  return undefined;
}

const first = (parameters: URLSearchParams, name: FilterField) => parameters.get(name)?.trim() || undefined;

/**
 * Reads the page's filter from its URL: `van`, `tot`, `gebied` and `zonder`, with defaults for what is left out, and
 * checks it by the statistics route's own schema, so the page can ask for nothing that route would refuse.
 * Gives the values to show in the form again, every field's first error, and the query when there is none.
 */
export function pageQuery(parameters: URLSearchParams, thisYear: number): { filter: FilterState; query?: StatisticsQuery } {
  const given = { van: first(parameters, 'van'), tot: first(parameters, 'tot'), gebied: first(parameters, 'gebied') };
  // Only `tot`: that one year. Only `van`: up to this year, as the statistics route reads from without to.
  const tot = given.tot ?? String(thisYear);
  const van = given.van ?? given.tot ?? String(thisYear - DEFAULT_YEARS + 1);
  const gebied = given.gebied ?? geography.defaultRegion;
  // `zonder` may be given more than once, as the statistics route's excludeRoute may.
  const zonder = parameters
    .getAll('zonder')
    .map((value) => value.trim())
    .filter(Boolean)
    .join(',');
  const values = { van, tot, gebied, ...(zonder && { zonder }) };

  const errors: FilterState['errors'] = {};
  const area = areaOf(gebied);
  if (!area) errors.gebied = 'Kies een gebied uit de lijst: Noord-Nederland, een provincie of een gemeente.';
  if (/^\d{4}$/.test(van) && /^\d{4}$/.test(tot) && Number(tot) < Number(van)) errors.tot = 'Kies bij „tot en met” een jaar dat niet vóór „van” ligt.';

  // An object without a prototype, as the statistics route gives its schema.
  const input = Object.assign(
    Object.create(null) as Record<string, string>,
    area ?? { region: geography.defaultRegion },
    { from: van, to: tot },
    zonder && { excludeRoute: zonder },
  );
  const parsed = StatisticsQuerySchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = FIELD_OF[String(issue.path[0])];
      if (field) errors[field] ??= issue.message;
    }
    if (Object.keys(errors).length === 0) errors.van = parsed.error.issues[0]?.message ?? 'Deze keuze kan niet.';
  }
  if (Object.keys(errors).length > 0 || !parsed.success) return { filter: { values, errors } };
  return { filter: { values, errors }, query: parsed.data };
}
