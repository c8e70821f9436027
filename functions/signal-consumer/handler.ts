import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { storeSignal } from '#domain/signal/index.js';
import { retentionDays, signalStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

const processor = new BatchProcessor(EventType.SQS);
const store = signalStore();
const retention = retentionDays();

async function recordHandler(record: SQSRecord): Promise<void> {
  try {
    const outcome = await storeSignal(JSON.parse(record.body), store, retention);
    logger.info('signal stored', { correlation_id: record.messageId, outcome });
  } catch (error) {
    // Name and message only: a validation message names fields, never their values.
    logger.warn('message not stored', {
      correlation_id: record.messageId,
      receiveCount: record.attributes.ApproximateReceiveCount,
      errorName: (error as Error).name,
    });
    throw error;
  }
}

/** Stores queued signals; failed messages return to the queue and, after five receives, to the dead-letter queue. */
export const handler = eventHandler<SQSEvent, SQSBatchResponse>((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
