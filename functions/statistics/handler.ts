import { validationProblem } from '#domain/kernel/index.js';
import { readStatistics } from '#domain/statistics/index.js';
import { aggregationStore } from '../lib/dependencies.js';
import { type HttpEvent, jsonResponse, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { statisticsRoute as route } from '../routes.js';

const counters = aggregationStore();

/**
 * The query's parameters as the client sent them (rawQueryString; queryStringParameters is what a gateway
 * made of them, and a plain object swallows `__proto__`), in an object without a prototype, so that every
 * name reaches the strict schema. A repeated parameter is joined with commas, as API Gateway does, and so
 * refused by its schema.
 */
export function queryParameters(event: Pick<HttpEvent, 'rawQueryString'>): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    parameters[name] = Object.hasOwn(parameters, name) ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}

/**
 * GET /v1/statistics: the live counts, read from one pre-aggregated item whatever the number of signals,
 * with the region's markers of signals not yet counted beside it in the same round trip.
 */
export const handler = authenticatedHandler(route, async (event) => {
  const query = route.query.safeParse(queryParameters(event));
  if (!query.success) return problemResponse(validationProblem(query.error, 'Een of meer zoekparameters kloppen niet.'));
  return jsonResponse(200, await readStatistics(query.data, counters), { 'cache-control': 'no-store' });
});
