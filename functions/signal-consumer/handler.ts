import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { linkSignal, notePersonStanding } from '#domain/linking/index.js';
import { type SignalRecord, SignalRecordSchema, storeSignal } from '#domain/signal/index.js';
import { linkIndex, signalStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

const processor = new BatchProcessor(EventType.SQS);
const store = signalStore();
const links = { links: linkIndex() };

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
  let outcome: 'stored' | 'duplicate';
  try {
    signal = SignalRecordSchema.parse(JSON.parse(record.body));
    outcome = await storeSignal(signal, store);
    logger.info('signal stored', { correlation_id: record.messageId, outcome });
  } catch (error) {
    failed('message not stored', record, error);
  }
  // Also when the signal was stored already: a crash between storing and linking leaves the linking to the
  // redelivery, and linking twice changes nothing. But not when it has been erased since: the message still
  // holds its person's pseudonyms (a redelivery, a redrive from the dead-letter queue), which must not link again.
  try {
    if (outcome === 'duplicate' && (await store.get(signal.signalId))?.erasedAt) {
      logger.info('signal erased since; not linked again', { correlation_id: record.messageId });
      return;
    }
    const { keys } = await linkSignal(signal, links);
    logger.info('signal linked', { correlation_id: record.messageId, matchKeys: keys });
    // After linking, so that the standing sees this signal's own entry; idempotent, so a crash before it heals on redelivery.
    const person = keys === 0 ? 'unknown' : await notePersonStanding(signal.signalId, { ...links, signals: store });
    if (person === 'conflict') throw new Error('person standing not set: the signal kept changing');
    logger.info('person standing noted', { correlation_id: record.messageId, outcome: person });
  } catch (error) {
    failed('signal not linked', record, error);
  }
}

/** Stores and links queued signals; failed messages return to the queue and, after five receives, to the dead-letter queue. */
export const handler = eventHandler<SQSEvent, SQSBatchResponse>((event, context) => processPartialResponse(event, recordHandler, processor, { context }));
