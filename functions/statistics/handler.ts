import { BoundedCache } from '#adapters/cache/bounded-cache.js';
import { problem } from '#domain/kernel/index.js';
import {
  type CounterItem,
  type CounterItemsReader,
  CSV_MEDIA_TYPE,
  entityTag,
  readCounterItems,
  type Statistics,
  type StatisticsQuery,
  statisticsCsv,
  statisticsEtag,
  statisticsOf,
  type UncountedMarker,
} from '#domain/statistics/index.js';
import { counterReader } from '../lib/dependencies.js';
import { type HttpResult, header, jsonResponse, parseQuery, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { statisticsRoute as route } from '../routes.js';
import { isNotModified, preferredMediaType } from './negotiation.js';

const FORMATS = { 'application/json': 'json', 'text/csv': 'csv' } as const;
/** How many answers a warm function keeps: some 6 KB each, under 2 MB. */
const KEPT_ANSWERS = 256;

const notAcceptable = () =>
  problem(406, 'not-acceptable', 'Formaat niet beschikbaar', 'Deze cijfers zijn er als application/json of als text/csv (Accept, of format=csv).');

/**
 * GET /v1/statistics: the exact live counts, as JSON or CSV, read from the pre-aggregated items of the
 * period whatever the number of signals, with the region's markers of signals not yet counted beside them
 * in the same round trip. Every answer has a strong ETag of its counts, so a dashboard that polls with
 * If-None-Match gets a 304 without a body until a count changes. Never cached on the way (`private,
 * no-store`): these are exact figures, for the holder of the key only.
 */
export const statisticsHandler = (counters: CounterItemsReader) => {
  const answers = new BoundedCache<Statistics>(KEPT_ANSWERS);
  /**
   * Summing large counter items takes time in proportion to their size, so a warm function keeps the
   * answers it made, by the query and the revisions of the items they came from: the same revisions hold
   * the same counts, so the kept answer is the one it would make again (generatedAt aside). Without a
   * revision for every item (a store that does not note them, or figures without some routes, which are
   * made anew) the answer is made each time.
   */
  const answerOf = async (query: StatisticsQuery): Promise<Statistics> => {
    const { items, uncounted } = await readCounterItems(query, counters);
    const key = answerKey(query, items, uncounted);
    const kept = key === undefined ? undefined : answers.get(key);
    if (kept) return { ...kept, generatedAt: new Date().toISOString() };
    const made = statisticsOf(query, items, uncounted);
    if (key !== undefined) answers.set(key, made);
    return made;
  };
  return authenticatedHandler(route, async (event) => {
    const parsed = parseQuery(event, route.query);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const query = parsed.value;
    const negotiated = preferredMediaType(header(event, 'accept'), ['application/json', 'text/csv']);
    const format = query.format ?? (negotiated && FORMATS[negotiated]);
    if (!format) return problemResponse(notAcceptable(), { vary: 'Accept' });
    if (format === 'json' && query.table) {
      const detail = 'table kiest een tabel voor CSV; vraag text/csv (Accept, of format=csv), of laat table weg.';
      return problemResponse(problem(422, 'validation', 'Ongeldige invoer', 'Een of meer zoekparameters kloppen niet.', [{ pointer: '/table', detail }]));
    }

    const statistics = await answerOf(query);
    const csv = format === 'csv' ? statisticsCsv(statistics, { table: query.table, cross: query.cross }) : undefined;
    const headers = {
      etag: csv ? entityTag('text/csv', csv.text) : statisticsEtag(statistics),
      'cache-control': 'private, no-store',
      vary: 'Accept',
    };
    if (isNotModified(header(event, 'if-none-match'), headers.etag)) return { statusCode: 304, headers } satisfies HttpResult;
    if (!csv) return jsonResponse(200, statistics, headers);
    return {
      statusCode: 200,
      headers: { 'content-type': CSV_MEDIA_TYPE, 'content-disposition': `attachment; filename="${csv.filename}"`, ...headers },
      body: csv.text,
    } satisfies HttpResult;
  });
};

/** What decides an answer: the query, each item's revision and the markers; undefined when an item has no revision. */
function answerKey(query: StatisticsQuery, items: ReadonlyMap<string, CounterItem>, uncounted: readonly UncountedMarker[]): string | undefined {
  const revisions: [string, number][] = [];
  for (const [key, item] of items) {
    if (item.revision === undefined) return undefined;
    revisions.push([key, item.revision]);
  }
  const sortedQuery = Object.entries(query).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([sortedQuery, revisions.sort(([a], [b]) => a.localeCompare(b)), uncounted]);
}

export const handler = statisticsHandler(counterReader());
