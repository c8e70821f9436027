import { validationProblem } from '#domain/kernel/index.js';
import { readStatistics, StatisticsQuerySchema } from '#domain/statistics/index.js';
import { aggregationStore } from '../lib/dependencies.js';
import { jsonResponse, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';

const counters = aggregationStore();

/** GET /v1/statistics: the live counts, read from one pre-aggregated item whatever the number of signals. */
export const handler = authenticatedHandler('statistics:read', async (event) => {
  const query = StatisticsQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return problemResponse(validationProblem(query.error, 'Een of meer zoekparameters kloppen niet.'));
  return jsonResponse(200, await readStatistics(query.data, counters), { 'cache-control': 'no-store' });
});
