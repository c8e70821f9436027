import { validationProblem } from '../../shared/domain/problem.js';
import { readStatistics, StatisticsQuerySchema } from '../../shared/domain/statistics.js';
import { aggregationStore, apiKeyStore } from '../lib/dependencies.js';
import { authenticate, jsonResponse, problemResponse } from '../lib/http.js';
import { httpHandler } from '../lib/middleware.js';

const keys = apiKeyStore();
const counters = aggregationStore();

/** GET /v1/statistics: the live counts, read from one pre-aggregated item whatever the number of signals. */
export const handler = httpHandler(async (event) => {
  const auth = await authenticate(event, keys, 'statistics:read');
  if ('problem' in auth) return problemResponse(auth.problem, auth.headers);
  const query = StatisticsQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return problemResponse(validationProblem(query.error, 'Een of meer zoekparameters kloppen niet.'));
  return jsonResponse(200, await readStatistics(query.data, counters), { 'cache-control': 'no-store' });
});
