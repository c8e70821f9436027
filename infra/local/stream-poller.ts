import {
  type AttributeValue,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type Shard,
  type _Record as StreamRecord,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FunctionName } from '../../functions/routes.js';
import type { LocalFunctions } from './functions.js';
import { sleep } from './network.js';
import { Poller } from './poller.js';

export interface StreamPollerOptions {
  streamArn: string;
  region: string;
  functionName: FunctionName;
  batchSize: number;
  maxRetries: number;
  /** Where a batch that keeps failing is reported (metadata only), as an on-failure destination. */
  failureQueueUrl: string;
  pollIntervalMs: number;
  log: (line: string) => void;
}

/** Builds the event that Lambda's DynamoDB stream event source mapping hands to a handler. */
export function toStreamEvent(records: StreamRecord[], streamArn: string, region: string): DynamoDBStreamEvent {
  return {
    Records: records.map(
      (r) =>
        ({
          eventID: r.eventID,
          eventName: r.eventName,
          eventVersion: r.eventVersion ?? '1.1',
          eventSource: 'aws:dynamodb',
          awsRegion: region,
          dynamodb: {
            ApproximateCreationDateTime: Math.floor((r.dynamodb?.ApproximateCreationDateTime?.getTime() ?? Date.now()) / 1000),
            Keys: r.dynamodb?.Keys,
            NewImage: withEmptyMapsTyped(r.dynamodb?.NewImage),
            OldImage: withEmptyMapsTyped(r.dynamodb?.OldImage),
            SequenceNumber: r.dynamodb?.SequenceNumber,
            SizeBytes: r.dynamodb?.SizeBytes,
            StreamViewType: r.dynamodb?.StreamViewType,
          },
          eventSourceARN: streamArn,
          ...(r.userIdentity && { userIdentity: r.userIdentity }),
        }) as DynamoDBRecord,
    ),
  };
}

/**
 * DynamoDB Local 3.x leaves the type out of an empty map in stream images (`{}` where DynamoDB sends
 * `{"M":{}}`, awslabs/amazon-dynamodb-local-samples#37; an empty list keeps its type), and no unmarshaller
 * reads that: a signal whose subject has no pseudonyms would never be counted. The event is built as
 * Lambda would hand it over.
 */
export function withEmptyMapsTyped(image: Record<string, AttributeValue> | undefined): Record<string, AttributeValue> | undefined {
  if (!image) return image;
  const typed = (value: AttributeValue): AttributeValue => {
    if (Object.keys(value).length === 0) return { M: {} };
    if (value.M) return { M: withEmptyMapsTyped(value.M)! };
    if (value.L) return { L: value.L.map(typed) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, typed(value)]));
}

interface ShardState {
  parentId?: string;
  iterator?: string;
  /** The last record handed to the function: a lost iterator is taken up again just after it. */
  lastSequence?: string;
  closed: boolean;
}

/**
 * Plays Lambda's stream event source mapping: reads every shard in order (parents before children),
 * invokes the handler with batches, resumes from the first reported failure, and after the retries
 * are spent reports the batch to the failure queue and moves on.
 */
export class StreamPoller {
  private readonly poller: Poller;
  private shards = new Map<string, ShardState>();
  private lastRefresh = 0;
  private delivering = false;

  constructor(
    private readonly streams: DynamoDBStreamsClient,
    private readonly sqs: SQSClient,
    private readonly functions: LocalFunctions,
    private readonly options: StreamPollerOptions,
  ) {
    this.poller = new Poller(() => this.pollOnce(), { describe: 'reading the stream', log: options.log, idleMs: options.pollIntervalMs });
  }

  start(): void {
    this.poller.start();
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Reads the whole stream again from its oldest record, as after an operator resets the mapping. */
  replay(): void {
    this.shards.clear();
  }

  get idle(): boolean {
    return !this.delivering;
  }

  /** Looks for new shards now and then, and reads what is ready; true when any records came. */
  private async pollOnce(): Promise<boolean> {
    if (Date.now() - this.lastRefresh > 1_000 || this.shards.size === 0) {
      await this.refreshShards();
      this.lastRefresh = Date.now();
    }
    return this.readReadyShards();
  }

  private async refreshShards(): Promise<void> {
    let exclusiveStartShardId: string | undefined;
    const found: Shard[] = [];
    do {
      const { StreamDescription } = await this.streams.send(
        new DescribeStreamCommand({ StreamArn: this.options.streamArn, ExclusiveStartShardId: exclusiveStartShardId }),
      );
      found.push(...(StreamDescription?.Shards ?? []));
      exclusiveStartShardId = StreamDescription?.LastEvaluatedShardId;
    } while (exclusiveStartShardId);
    for (const shard of found) {
      if (!this.shards.has(shard.ShardId!)) this.shards.set(shard.ShardId!, { parentId: shard.ParentShardId, closed: false });
    }
  }

  /** Reads one page from each shard whose parent is done; true when any records came. */
  private async readReadyShards(): Promise<boolean> {
    let any = false;
    for (const [shardId, state] of this.shards) {
      if (state.closed) continue;
      const parent = state.parentId ? this.shards.get(state.parentId) : undefined;
      if (parent && !parent.closed) continue;
      state.iterator ??= (
        await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: this.options.streamArn,
            ShardId: shardId,
            ...(state.lastSequence
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: state.lastSequence }
              : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        )
      ).ShardIterator;
      let page: GetRecordsCommandOutput;
      try {
        page = await this.streams.send(new GetRecordsCommand({ ShardIterator: state.iterator, Limit: this.options.batchSize }));
      } catch (error) {
        // Iterators expire (and DynamoDB Local sometimes refuses one): take the shard up again where we were.
        if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
          state.iterator = undefined;
          continue;
        }
        throw error;
      }
      const { Records, NextShardIterator } = page;
      if (Records?.length) {
        any = true;
        await this.deliver(shardId, Records);
        state.lastSequence = Records.at(-1)!.dynamodb?.SequenceNumber;
      }
      if (!this.shards.has(shardId)) return any; // replay() was called during delivery
      state.iterator = NextShardIterator;
      if (!NextShardIterator) state.closed = true;
    }
    return any;
  }

  private async deliver(shardId: string, records: StreamRecord[]): Promise<void> {
    const { functionName, streamArn, region, maxRetries } = this.options;
    this.delivering = true;
    try {
      let pending = records;
      for (let attempt = 0; pending.length > 0; attempt++) {
        let firstFailed: string | undefined;
        try {
          const response = await this.functions.invoke<DynamoDBBatchResponse | undefined>(functionName, toStreamEvent(pending, streamArn, region));
          firstFailed = response?.batchItemFailures?.[0]?.itemIdentifier;
        } catch {
          firstFailed = pending[0]!.dynamodb?.SequenceNumber;
        }
        if (!firstFailed) return;
        const index = Math.max(
          0,
          pending.findIndex((r) => r.dynamodb?.SequenceNumber === firstFailed),
        );
        pending = pending.slice(index);
        if (attempt >= maxRetries) {
          await this.reportFailure(shardId, pending);
          return;
        }
        await sleep(Math.min(2_000, 100 * 2 ** attempt));
      }
    } finally {
      this.delivering = false;
    }
  }

  private async reportFailure(shardId: string, records: StreamRecord[]): Promise<void> {
    const first = records[0]!.dynamodb?.SequenceNumber;
    const last = records.at(-1)!.dynamodb?.SequenceNumber;
    this.options.log(`${this.options.functionName}: gave up on ${records.length} stream records (${first}..${last}); reported to the failure queue`);
    // Like Lambda's on-failure destination: where the batch lies in the stream, never its contents.
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.failureQueueUrl,
        MessageBody: JSON.stringify({
          requestContext: { condition: 'RetryAttemptsExhausted', functionArn: this.options.functionName },
          DDBStreamBatchInfo: { shardId, startSequenceNumber: first, endSequenceNumber: last, batchSize: records.length, streamArn: this.options.streamArn },
        }),
      }),
    );
  }
}
