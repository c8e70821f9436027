import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { StoredSignal } from '#domain/signal/index.js';
import { type AggregationOutcome, type AggregationStore, aggregateSignal, aggregateSignals, markUncounted } from '#domain/statistics/index.js';
import { aggregationStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { countMetric } from '../lib/metrics.js';
import { eventHandler } from '../lib/middleware.js';
import { readableFields, type SignalImage, signalOf } from './stream-image.js';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Marks the record's signal uncounted, so that the statistics say they are too low: by id and error name
 * only, never a value of the record. 'superseded' when a newer version was counted meanwhile.
 */
async function markFailure(record: DynamoDBRecord, image: SignalImage, error: unknown, store: AggregationStore) {
  const errorName = (error as Error)?.name;
  const signalId = record.dynamodb?.Keys?.signalId?.S ?? image.signalId?.S;
  const context = { correlation_id: record.eventID, signalId, errorName };
  if (!signalId) {
    logger.error('signal not counted, and without a signal id it cannot be marked', context);
    return 'not marked';
  }
  try {
    const result = await markUncounted(signalId, readableFields(image), error, store);
    if (result === 'marked') logger.error('signal not counted; marked uncounted until a later attempt counts it', context);
    else logger.info('signal record not counted, but superseded by a newer version that is', context);
    return result;
  } catch (markError) {
    logger.error('signal not counted, and marking it failed too', { ...context, markErrorName: (markError as Error)?.name });
    return 'not marked';
  }
}

/**
 * Counts one stream record. One it cannot count is marked and fails, so that it is retried (and in the
 * end described on the failure queue); the attempt that counts it removes the marker.
 */
export function recordHandlerFor(store: AggregationStore) {
  return async (record: DynamoDBRecord): Promise<void> => {
    // A removal is retention expiring or an erasure: the signal did happen, so its count stays.
    if (record.eventName === 'REMOVE' || !record.dynamodb?.NewImage) return;
    const image = record.dynamodb.NewImage as SignalImage;
    let outcome: AggregationOutcome;
    try {
      const signal = signalOf(image);
      outcome = await aggregateSignal(signal, store);
      logger.info('signal aggregated', { correlation_id: record.eventID, signalId: signal.signalId, version: signal.version, outcome });
    } catch (error) {
      const marked = await markFailure(record, image, error, store);
      countMetric('AggregationOutcomes', marked === 'superseded' ? 'already-applied' : 'uncounted');
      if (marked === 'superseded') return;
      throw error;
    }
    countMetric('AggregationOutcomes', outcome);
  };
}

/**
 * Counts a whole batch at once (aggregateSignals: each counter item written once a transaction, not once a
 * signal), when every record in it reads as a signal. True when it counted them all; false when a record
 * does not read or anything failed, and the batch is to be counted record by record, where a record that
 * cannot be counted is marked and reported. Counting is exactly once either way: what the batch counted
 * before failing is found applied the second time.
 */
export async function countedAtOnce(records: readonly DynamoDBRecord[], store: AggregationStore): Promise<boolean> {
  const counted = records.filter((record) => record.eventName !== 'REMOVE' && record.dynamodb?.NewImage);
  if (counted.length < 2) return false;
  let signals: StoredSignal[];
  try {
    signals = counted.map((record) => signalOf(record.dynamodb!.NewImage as SignalImage));
  } catch {
    return false;
  }
  try {
    const outcomes = await aggregateSignals(signals, store);
    outcomes.forEach((outcome, i) => {
      const { signalId, version } = signals[i]!;
      logger.info('signal aggregated', { correlation_id: counted[i]!.eventID, signalId, version, outcome });
      countMetric('AggregationOutcomes', outcome);
    });
    return true;
  } catch (error) {
    logger.warn('batch not counted at once; counting it record by record', { errorName: (error as Error)?.name, records: counted.length });
    return false;
  }
}

export function handlerFor(store: AggregationStore) {
  const recordHandler = recordHandlerFor(store);
  return eventHandler<DynamoDBStreamEvent, DynamoDBBatchResponse>(async (event, context) => {
    if (await countedAtOnce(event.Records, store)) return { batchItemFailures: [] };
    return processPartialResponse(event, recordHandler, processor, { context, processInParallel: false });
  });
}

/** Keeps the counters from the signals table's stream, exactly once whatever is replayed. */
export const handler = handlerFor(aggregationStore());
