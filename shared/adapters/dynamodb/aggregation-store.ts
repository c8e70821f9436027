import { setTimeout as sleep } from 'node:timers/promises';
import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AggregationStore, AppliedState, Bookkeeping, CounterDeltas, CounterReader, UncountedMarker } from '#domain/statistics/index.js';
import { documentClient } from './document-client.js';

const appliedKey = (signalId: string) => ({ pk: `applied#${signalId}` });
/** One item per region whose attributes are the markers of its uncounted signals, by signal id. */
const uncountedKey = (region: string) => ({ pk: `uncounted#${region}` });
const BATCH_GET_ATTEMPTS = 5;

/**
 * Counter items, the aggregator's per-signal applied state and the markers of uncounted signals share
 * one table.
 *
 * Costs, chosen so that a healthy signal pays nothing for the markers: the applied item (read anyway,
 * consistently, for every record) also says in which regions the signal is marked (`uncountedIn`, a
 * string set, absent when healthy), so a marker is removed only for a marked signal, as one more update
 * in the apply transaction (or one small transaction when the signal was counted already). Marking
 * (the failure path only) is one transaction: the marker in each region item plus the set on the
 * applied item. The statistics read fetches the region's marker item beside the counter item in one
 * BatchGetItem: one round trip, 0.5 read unit more per request while the marker item is under 4 KB
 * (some 25 markers), whatever the number of signals.
 */
export class DynamoDbAggregationStore implements AggregationStore, CounterReader {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async bookkeeping(signalId: string): Promise<Bookkeeping> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: appliedKey(signalId), ConsistentRead: true }));
    if (!Item) return {};
    // A signal marked before it was ever counted has an applied item without a version.
    const regions = Item.uncountedIn instanceof Set ? [...(Item.uncountedIn as Set<string>)].sort() : [];
    return {
      ...(Item.version !== undefined && { applied: { version: Number(Item.version), contribution: Item.contribution ?? null } }),
      ...(regions.length > 0 && { uncounted: { regions, version: Number(Item.uncountedVersion ?? 0) } }),
    };
  }

  async apply(signalId: string, previousVersion: number | undefined, next: AppliedState, deltas: CounterDeltas, unmark: readonly string[]): Promise<boolean> {
    // An update, not a put: a marker another writer notes meanwhile (a region not in `unmark`) stays noted.
    const applied = {
      Update: {
        TableName: this.tableName,
        Key: appliedKey(signalId),
        UpdateExpression: `SET #version = :version, #contribution = :contribution${unmark.length > 0 ? ' REMOVE uncountedVersion DELETE uncountedIn :unmark' : ''}`,
        ConditionExpression: previousVersion === undefined ? 'attribute_not_exists(#version)' : '#version = :previous',
        ExpressionAttributeNames: { '#version': 'version', '#contribution': 'contribution' },
        ExpressionAttributeValues: {
          ':version': next.version,
          ':contribution': next.contribution,
          ...(previousVersion !== undefined && { ':previous': previousVersion }),
          ...(unmark.length > 0 && { ':unmark': new Set(unmark) }),
        },
      },
    };
    const counters = [...deltas].map(([pk, attributes]) => {
      const entries = [...attributes];
      return {
        Update: {
          TableName: this.tableName,
          Key: { pk },
          UpdateExpression: `ADD ${entries.map((_, i) => `#a${i} :d${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: Object.fromEntries(entries.map(([, delta], i) => [`:d${i}`, delta])),
        },
      };
    });
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: [applied, ...counters, ...this.markerRemovals(signalId, unmark)] }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async markUncounted(regions: readonly string[], version: number, marker: UncountedMarker): Promise<void> {
    if (regions.length === 0) return;
    const { signalId, ...entry } = marker;
    const noted = {
      Update: {
        TableName: this.tableName,
        Key: appliedKey(signalId),
        UpdateExpression: 'ADD uncountedIn :regions SET uncountedVersion = :version',
        ExpressionAttributeValues: { ':regions': new Set(regions), ':version': version },
      },
    };
    const markers = regions.map((region) => ({
      Update: {
        TableName: this.tableName,
        Key: uncountedKey(region),
        UpdateExpression: 'SET #signal = :marker',
        ExpressionAttributeNames: { '#signal': signalId },
        ExpressionAttributeValues: { ':marker': entry },
      },
    }));
    await this.documents.send(new TransactWriteCommand({ TransactItems: [noted, ...markers] }));
  }

  async unmark(signalId: string, regions: readonly string[]): Promise<void> {
    if (regions.length === 0) return;
    const noted = {
      Update: {
        TableName: this.tableName,
        Key: appliedKey(signalId),
        UpdateExpression: 'REMOVE uncountedVersion DELETE uncountedIn :regions',
        ExpressionAttributeValues: { ':regions': new Set(regions) },
      },
    };
    await this.documents.send(new TransactWriteCommand({ TransactItems: [noted, ...this.markerRemovals(signalId, regions)] }));
  }

  private markerRemovals(signalId: string, regions: readonly string[]) {
    return regions.map((region) => ({
      Update: { TableName: this.tableName, Key: uncountedKey(region), UpdateExpression: 'REMOVE #signal', ExpressionAttributeNames: { '#signal': signalId } },
    }));
  }

  async read(counterKey: string, region: string): Promise<{ counts: Record<string, number>; uncounted: UncountedMarker[] }> {
    const items = await this.batchGet([{ pk: counterKey }, uncountedKey(region)]);
    const { pk: _counter, ...counts } = items.get(counterKey) ?? {};
    const { pk: _markers, ...markers } = items.get(uncountedKey(region).pk) ?? {};
    return {
      counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])),
      uncounted: Object.entries(markers).map(([signalId, entry]) => markerOf(signalId, entry)),
    };
  }

  /** BatchGetItem, asking again (with a short backoff) for keys DynamoDB left unprocessed. */
  private async batchGet(keys: Record<string, string>[]): Promise<Map<string, Record<string, unknown>>> {
    const items = new Map<string, Record<string, unknown>>();
    let pending: BatchGetCommandInput['RequestItems'] = { [this.tableName]: { Keys: keys } };
    for (let attempt = 1; pending; attempt++) {
      const answer: BatchGetCommandOutput = await this.documents.send(new BatchGetCommand({ RequestItems: pending }));
      for (const item of answer.Responses?.[this.tableName] ?? []) items.set(String(item.pk), item);
      pending = answer.UnprocessedKeys?.[this.tableName]?.Keys?.length ? answer.UnprocessedKeys : undefined;
      if (pending && attempt >= BATCH_GET_ATTEMPTS) throw new Error(`BatchGetItem left keys unprocessed after ${attempt} attempts`);
      if (pending) await sleep(25 * 2 ** attempt);
    }
    return items;
  }
}

function markerOf(signalId: string, entry: unknown): UncountedMarker {
  const e = (entry ?? {}) as Record<string, unknown>;
  return {
    signalId,
    markedAt: String(e.markedAt),
    error: String(e.error),
    ...(typeof e.year === 'number' && { year: e.year }),
    ...(typeof e.province === 'string' && { province: e.province }),
    ...(typeof e.municipality === 'string' && { municipality: e.municipality }),
  };
}
