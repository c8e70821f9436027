import { healthChecks } from '../lib/dependencies.js';
import { jsonResponse } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { httpHandler } from '../lib/middleware.js';
import { checkHealth, type HealthCheck } from './checks.js';

/** Long enough for a warm call to DynamoDB or SQS, short enough that a load balancer's probe is not left waiting. */
const CHECK_TIMEOUT_MS = 1_000;

/**
 * GET /v1/health, without a key: 200 when every dependency answers, 503 naming the one that does not,
 * never cached. The answer holds check names and states only: no error text, no resource names,
 * nothing of a signal.
 */
export const healthHandler = (checks: Record<string, HealthCheck>) =>
  httpHandler(async () => {
    const report = await checkHealth(checks, CHECK_TIMEOUT_MS, (check, error) =>
      logger.warn('health check failed', { check, errorName: (error as Error | undefined)?.name }),
    );
    return jsonResponse(report.status === 'ok' ? 200 : 503, report, { 'cache-control': 'no-store' });
  });

export const handler = healthHandler(healthChecks());
