import { BoundedCache } from '#adapters/cache/bounded-cache.js';
import { problem } from '#domain/kernel/index.js';
import {
  CSV_MEDIA_TYPE,
  type PublicRelease,
  type PublicStatisticsPorts,
  publicStatisticsCsv,
  publicStatisticsTag,
  readPublicStatistics,
  type StatisticsQuery,
} from '#domain/statistics/index.js';
import { releaseReader } from '../lib/dependencies.js';
import { type HttpResult, header, jsonResponse, parseQuery, problemResponse } from '../lib/http.js';
import { httpHandler } from '../lib/middleware.js';
import { publicStatisticsRoute as route } from '../routes.js';
import { isNotModified, preferredMediaType } from '../statistics/negotiation.js';

/**
 * Shared caches (CloudFront, a browser, a proxy) may keep an answer 5 minutes and serve it 10 more while
 * they ask again. The figures change only at a release (at most every 15 minutes, by default once a day),
 * so an answer is at most 5 minutes behind a release; asking again costs the origin one small read and,
 * unchanged, a 304 (the ETag is known from the release alone).
 */
export const PUBLIC_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=600';

const FORMATS = { 'application/json': 'json', 'text/csv': 'csv' } as const;
/** How many answers a warm function keeps: under 2 MB. */
const KEPT_ANSWERS = 200;

/**
 * GET /v1/public/statistics, without a key: the region's latest public release, with the same query as
 * GET /v1/statistics and the same shape, every number under the disclosure policy (null, or "<7" in CSV,
 * for a small count). Its ETag comes from the method, the release and the query, so a conditional request
 * is answered after reading only the release's pointer, and the same release always gives the same bytes.
 */
export const publicStatisticsHandler = (ports: PublicStatisticsPorts) => {
  // A release never changes, so the same ETag (method, release, query, format) always has the same answer:
  // a warm function keeps the answers it made (some 7 KB each) instead of reading and protecting them again.
  const answers = new BoundedCache<HttpResult>(KEPT_ANSWERS);
  return httpHandler(async (event) => {
    const parsed = parseQuery(event, route.query);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const query = parsed.value;
    const negotiated = preferredMediaType(header(event, 'accept'), ['application/json', 'text/csv']);
    const format = query.format ?? (negotiated && FORMATS[negotiated]);
    if (!format) {
      const detail = 'Deze cijfers zijn er als application/json of als text/csv (Accept, of format=csv).';
      return problemResponse(problem(406, 'not-acceptable', 'Formaat niet beschikbaar', detail), { vary: 'Accept' });
    }
    if (format === 'json' && query.table) {
      const detail = 'table kiest een tabel voor CSV; vraag text/csv (Accept, of format=csv), of laat table weg.';
      return problemResponse(problem(422, 'validation', 'Ongeldige invoer', 'Een of meer zoekparameters kloppen niet.', [{ pointer: '/table', detail }]));
    }

    const release = (await ports.releases.latest(query.region)) ?? null;
    const headers = {
      etag: publicStatisticsTag(release, query, format === 'csv' ? 'text/csv' : 'application/json'),
      'cache-control': PUBLIC_CACHE_CONTROL,
      vary: 'Accept',
    };
    if (isNotModified(header(event, 'if-none-match'), headers.etag)) return { statusCode: 304, headers } satisfies HttpResult;

    const kept = answers.get(headers.etag);
    if (kept) return { ...kept, headers: { ...kept.headers } };
    const answer = await answerOf(query, format, ports, release, headers);
    answers.set(headers.etag, answer);
    return { ...answer, headers: { ...answer.headers } };
  });
};

async function answerOf(
  query: StatisticsQuery,
  format: 'json' | 'csv',
  ports: PublicStatisticsPorts,
  release: PublicRelease | null,
  headers: Record<string, string>,
): Promise<HttpResult> {
  const statistics = await readPublicStatistics(query, ports, release);
  if (format === 'json') return jsonResponse(200, statistics, headers);
  const csv = publicStatisticsCsv(statistics, { table: query.table, cross: query.cross });
  return {
    statusCode: 200,
    headers: { 'content-type': CSV_MEDIA_TYPE, 'content-disposition': `attachment; filename="${csv.filename}"`, ...headers },
    body: csv.text,
  };
}

export const handler = publicStatisticsHandler({ releases: releaseReader() });
