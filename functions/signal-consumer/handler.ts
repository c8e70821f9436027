import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { linkSignal } from '#domain/linking/index.js';
import { type SignalRecord, SignalRecordSchema, storeSignal } from '#domain/signal/index.js';
import { linkIndex, retentionDays, signalStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

const processor = new BatchProcessor(EventType.SQS);
const store = signalStore();
const links = { links: linkIndex() };
const retention = retentionDays();

/** Name only: a validation message names fields, never their values; a pseudonym is never logged either. */
function failed(message: string, record: SQSRecord, error: unknown): never {
  logger.warn(message, {
    correlation_id: record.messageId,
    receiveCount: record.attributes.ApproximateReceiveCount,
    errorName: (error as Error).name,
  });
  throw error;
}

async function recordHandler(record: SQSRecord): Promise<void> {
  let signal: SignalRecord;
  try {
    signal = SignalRecordSchema.parse(JSON.parse(record.body));
    const outcome = await storeSignal(signal, store, retention);
    logger.info('signal stored', { correlation_id: record.messageId, outcome });
  } catch (error) {
    failed('message not stored', record, error);
  }
  // Also when the signal was stored already: a crash between storing and linking leaves the linking to the
  // redelivery, and linking twice changes nothing.
  try {
    const { keys } = await linkSignal(signal, links, retention);
    logger.info('signal linked', { correlation_id: record.messageId, matchKeys: keys });
  } catch (error) {
    failed('signal not linked', record, error);
  }
}

/** Stores and links queued signals; failed messages return to the queue and, after five receives, to the dead-letter queue. */
export const handler = eventHandler<SQSEvent, SQSBatchResponse>((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
