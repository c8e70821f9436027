import type { Context } from 'aws-lambda';
import {
  finishPendingErasures,
  type PendingErasureReport,
  type RetentionPolicy,
  type RetentionPorts,
  type SweepReport,
  sweepRetention,
} from '#domain/casework/erasure/index.js';
import { retentionPolicy, retentionPorts } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

/** Time kept back from the function's timeout, so that a run ends by itself between two signals. */
const MARGIN_MS = 15_000;

/** What one run did: the retention sweep's counts, and the pending erasures' when it finishes those too. */
export type RetentionRunReport = SweepReport & { erasures?: PendingErasureReport };

/**
 * The retention sweep, once a day (an EventBridge schedule on AWS, a timer locally). First it finishes the
 * pending erasures: strips the signals of an erased person that were still on a queue when the erasure ran
 * (finishPendingErasures; few, and a person waits for them). Then it strips every signal whose retention
 * has passed of its person and unlinks it; the classification and the counts stay. Logs counts only. A run
 * that reaches its deadline stops; the next one goes on.
 */
export const retentionSweepHandler = (policy: RetentionPolicy, ports: RetentionPorts) =>
  eventHandler<unknown, RetentionRunReport>(async (_event, context: Context) => {
    const deadline = Date.now() + context.getRemainingTimeInMillis() - MARGIN_MS;
    let erasures: PendingErasureReport | undefined;
    if (ports.erasures) {
      erasures = await finishPendingErasures(ports.erasures, (ports.erasures.now ?? ports.now ?? (() => new Date()))());
      logger.info('pending erasures', { ...erasures });
    }
    const report = await sweepRetention(policy, ports, { deadline });
    logger.info('retention sweep', { ...report });
    return erasures ? { ...report, erasures } : report;
  });

export const handler = retentionSweepHandler(retentionPolicy(), retentionPorts());
