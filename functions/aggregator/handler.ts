import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { aggregateSignal } from '#domain/statistics/index.js';
import { SignalRecordSchema } from '#domain/signal/index.js';
import { aggregationStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);
const store = aggregationStore();
const StoredSignalSchema = z.extend(SignalRecordSchema, { version: z.int().check(z.positive()), expiresAt: z.optional(z.number()) });

async function recordHandler(record: DynamoDBRecord): Promise<void> {
  // A removal is retention expiring or an erasure: the signal did happen, so its count stays.
  if (record.eventName === 'REMOVE' || !record.dynamodb?.NewImage) return;
  const signal = StoredSignalSchema.parse(unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>));
  const outcome = await aggregateSignal(signal, store);
  logger.info('signal aggregated', { signalId: signal.signalId, version: signal.version, outcome });
}

/** Keeps the counters from the signals table's stream, exactly once whatever is replayed. */
export const handler = eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>((event, context) =>
  processPartialResponse(event, recordHandler, processor, { context, processInParallel: false }),
);
