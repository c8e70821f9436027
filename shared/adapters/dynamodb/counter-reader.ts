import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CounterItem, CounterItemsReader, UncountedMarker } from '#domain/statistics/index.js';
import { batchGetByPk } from './batch-get.js';
import { documentClient } from './document-client.js';

/** The markers of a region's uncounted signals: one item, by signal id (as the aggregation store writes them). */
const uncountedKey = (region: string) => `uncounted#${region}`;
/** BatchGetItem takes at most 100 keys a request. */
const _MAX_BATCH_KEYS = 100;
const _BATCH_GET_ATTEMPTS = 5;

/**
 * Reads the counter items of a statistics query and the region's marker item in one BatchGetItem, however
 * many signals they count: a query of n years reads n + 1 counter items (the year before too) and one
 * marker item, eventually consistent as the single read before it was (half a read unit per 4 KB). Keys
 * left unprocessed are asked for again with a short backoff, as in the aggregation store.
 */
export class DynamoDbCounterReader implements CounterItemsReader {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async readItems(counterKeys: readonly string[], region: string): Promise<{ items: ReadonlyMap<string, CounterItem>; uncounted: UncountedMarker[] }> {
    const markers = uncountedKey(region);
    const read = await this.batchGet([...new Set([...counterKeys, markers])]);
    const items = new Map<string, CounterItem>();
    for (const key of counterKeys) {
      const item = read.get(key);
      if (item) items.set(key, counterItemOf(item));
    }
    const { pk: _pk, ...entries } = read.get(markers) ?? {};
    return { items, uncounted: Object.entries(entries).map(([signalId, entry]) => markerOf(signalId, entry)) };
  }

  private batchGet(keys: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    // One request for any query the route accepts (31 counter items and the markers at most); more only past 100 keys.
    return batchGetByPk(this.documents, this.tableName, keys);
  }
}

/**
 * A counter item's counts (every number but its key) and when it last changed: `updatedAt` as an ISO
 * string, or as milliseconds since the epoch.
 */
export function counterItemOf(item: Record<string, unknown>): CounterItem {
  const { pk: _pk, updatedAt, ...attributes } = item;
  const counts = Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, number] => typeof entry[1] === 'number'));
  const changed = typeof updatedAt === 'number' || typeof updatedAt === 'string' ? new Date(updatedAt) : undefined;
  return { counts, ...(changed && Number.isFinite(changed.getTime()) && { updatedAt: changed.toISOString() }) };
}

/** A marker as the aggregation store writes it: only known codes, never another value of the record. */
export function markerOf(signalId: string, entry: unknown): UncountedMarker {
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
