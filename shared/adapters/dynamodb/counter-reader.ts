import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { BoundedCache } from '#adapters/cache/bounded-cache.js';
import type { CounterItem, CounterItemsReader, UncountedMarker } from '#domain/statistics/index.js';
import { batchGetByPk } from './batch-get.js';
import { documentClient } from './document-client.js';
import { changeCounterPk, REVISION_ATTRIBUTE, uncountedPk } from './statistics-keys.js';

/** How many items a warm function keeps: a region's 31 years and the year before, for a few scopes; some 60 KB each at most. */
const CACHED_ITEMS = 256;

interface Kept {
  /** The region's `writes` when the item was read: while it stays, the item has not changed. */
  writes: number;
  /** Undefined: there was no such item. */
  raw?: Record<string, unknown>;
  /** Made once from `raw`, and then handed out as is: callers read it, never change it. */
  counterItem?: CounterItem;
}

/**
 * Reads the counter items of a statistics query and the region's marker item, however many signals they
 * count: a query of n years reads n + 1 counter items (the year before too) and one marker item. Keys
 * left unprocessed are asked for again with a short backoff, as in the aggregation store.
 *
 * A counter item grows with the values counted in it (a region's year: some 12 KB at 100 signals, 60 KB
 * once every value has been counted), and reading it whole costs time in proportion. So a warm function
 * keeps the items it read, and first reads the region's change counter and marker item (both small): while
 * the counter's `writes` is what it was when an item was read, no counting transaction has touched any of
 * the region's counter items since, and the kept item is current. A polling dashboard then costs one small
 * read while nothing changes (half a read unit, eventually consistent); after a change, the items are read
 * whole again, strongly consistent (1 read unit per 4 KB: some 16 for a full region year).
 */
export class DynamoDbCounterReader implements CounterItemsReader {
  private readonly documents: DynamoDBDocumentClient;
  private readonly kept = new BoundedCache<Kept>(CACHED_ITEMS);

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async readItems(counterKeys: readonly string[], region: string): Promise<{ items: ReadonlyMap<string, CounterItem>; uncounted: UncountedMarker[] }> {
    const small = await batchGetByPk(this.documents, this.tableName, [changeCounterPk(region), uncountedPk(region)]);
    const writes = Number(small.get(changeCounterPk(region))?.writes ?? 0);
    const read = await this.current([...new Set(counterKeys)], writes);
    const items = new Map<string, CounterItem>();
    for (const key of counterKeys) {
      const entry = read.get(key);
      if (!entry?.raw) continue;
      entry.counterItem ??= counterItemWithRevision(entry.raw);
      items.set(key, entry.counterItem);
    }
    const { pk: _pk, [REVISION_ATTRIBUTE]: _revision, ...entries } = small.get(uncountedPk(region)) ?? {};
    return { items, uncounted: Object.entries(entries).map(([signalId, entry]) => markerOf(signalId, entry)) };
  }

  /** The items as they are at `writes`: kept ones read at the same count, the others read whole and kept. */
  private async current(keys: readonly string[], writes: number): Promise<Map<string, Kept>> {
    const items = new Map<string, Kept>();
    const stale: string[] = [];
    for (const key of keys) {
      const kept = this.kept.get(key);
      if (kept && kept.writes === writes) items.set(key, kept);
      else stale.push(key);
    }
    if (stale.length === 0) return items;
    // Strongly consistent: an item kept under `writes` must hold every transaction that count says, or an
    // eventually consistent read from a lagging replica would be served until the region's next change.
    const read = await batchGetByPk(this.documents, this.tableName, stale, { consistent: true });
    for (const key of stale) {
      // Read after `writes`: at least as new as it says, so kept under it (a later write moves it on).
      const entry: Kept = { writes, ...(read.has(key) && { raw: read.get(key) }) };
      items.set(key, entry);
      this.kept.set(key, entry);
    }
    return items;
  }
}

/** A counter item with the revision its writer noted, when it did. */
function counterItemWithRevision(raw: Record<string, unknown>): CounterItem {
  const revision = raw[REVISION_ATTRIBUTE];
  return { ...counterItemOf(raw), ...(typeof revision === 'number' && { revision }) };
}

/**
 * A counter item's counts (every number but its key) and when it last changed: `updatedAt` as an ISO
 * string, or as milliseconds since the epoch.
 */
export function counterItemOf(item: Record<string, unknown>): CounterItem {
  const { pk: _pk, updatedAt, [REVISION_ATTRIBUTE]: _revision, ...attributes } = item;
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
