import type { Context } from 'aws-lambda';
import { type RetentionPolicy, type RetentionPorts, type SweepReport, sweepRetention } from '#domain/casework/erasure/index.js';
import { retentionPolicy, retentionPorts } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

/** Time kept back from the function's timeout, so that a run ends by itself between two signals. */
const MARGIN_MS = 15_000;

/**
 * The retention sweep, once a day (an EventBridge schedule on AWS, a timer locally): strips every signal whose
 * retention has passed of its person and unlinks it; the classification and the counts stay. Logs counts
 * only. A run that reaches its deadline stops; the next one goes on.
 */
export const retentionSweepHandler = (policy: RetentionPolicy, ports: RetentionPorts) =>
  eventHandler<unknown, SweepReport>(async (_event, context: Context) => {
    const report = await sweepRetention(policy, ports, { deadline: Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS });
    logger.info('retention sweep', { ...report });
    return report;
  });

export const handler = retentionSweepHandler(retentionPolicy(), retentionPorts());
