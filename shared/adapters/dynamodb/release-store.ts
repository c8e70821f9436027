import { setTimeout as sleep } from 'node:timers/promises';
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChangeCounter, CounterItem, PublicRelease, ReleaseStore } from '#domain/statistics/index.js';
import { batchGetByPk } from './batch-get.js';
import { counterItemOf } from './counter-reader.js';
import { documentClient } from './document-client.js';
import { changeCounterPk, REVISION_ATTRIBUTE, uncountedPk } from './statistics-keys.js';

/** The region's pointer to its latest release. */
const latestKey = (region: string) => `release#${region}#latest`;
/** A release's manifest: which counter items it holds, so that it can be removed again. */
const manifestKey = (region: string, releaseId: string) => `release#${region}#${releaseId}`;
/** A counter item as a release holds it. */
const releasedKey = (region: string, releaseId: string, counterKey: string) => `release#${region}#${releaseId}#${counterKey}`;

/** DynamoDB's limits on one BatchGetItem and one BatchWriteItem request. */
const _MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
const BATCH_ATTEMPTS = 6;

/**
 * The public releases in the statistics table, beside the counters they copy:
 * - `release#<region>#<releaseId>#<counterKey>`: a counter item as it was at the release, counts and key
 *   sums alike (its `updatedAt` is left behind: the public answer shows no moment but the release's);
 * - `release#<region>#<releaseId>`: the release's manifest, the counter keys it holds;
 * - `release#<region>#latest`: the pointer, with the release's moments, the change counter at the release
 *   and the release before it, written on condition that it still names the release the run started from.
 *
 * Costs (on-demand): the schedule's check every 15 minutes is two small strongly consistent reads (the
 * pointer and the change counter), 2 read units. A release reads every counter key the region can have
 * (1 + 3 provinces + 41 municipalities × 28 years, some 1,260 keys in 13 BatchGetItems, mostly absent at 1
 * read unit each; the items that exist by their size), then the route-set items those name (excludeRoute;
 * each holds a part of its counter item's signals, so together they weigh about as much as the counter
 * items), writes the items that exist once more (by size: some 250 counter items and 2 MB for a region
 * with five years of figures, about 2,000 write units, and as much again for their route-set items) and
 * removes the release before the previous one (as much again). A public answer reads the pointer (0.5) and its period's
 * items strongly consistently (so that a release just made is read whole): 1 read unit per 4 KB.
 */
export class DynamoDbReleaseStore implements ReleaseStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    /** Strongly consistent pointer reads: the release function's, which must not release twice. */
    private readonly consistentPointer = false,
  ) {
    this.documents = documentClient(client);
  }

  async latest(region: string): Promise<PublicRelease | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: latestKey(region) }, ConsistentRead: this.consistentPointer }),
    );
    if (!Item || typeof Item.releaseId !== 'string') return undefined;
    return {
      releaseId: Item.releaseId,
      releasedAt: String(Item.releasedAt),
      nextPossibleAt: String(Item.nextPossibleAt),
      changesAtRelease: Number(Item.changesAtRelease ?? 0),
      uncounted: Number(Item.uncounted ?? 0),
    };
  }

  async readReleased(region: string, releaseId: string, counterKeys: readonly string[]): Promise<ReadonlyMap<string, CounterItem>> {
    const prefix = releasedKey(region, releaseId, '');
    const read = await this.batchGet(
      counterKeys.map((key) => prefix + key),
      true,
    );
    const items = new Map<string, CounterItem>();
    for (const [pk, item] of read) items.set(pk.slice(prefix.length), counterItemOf(item));
    return items;
  }

  async changeCounter(region: string): Promise<ChangeCounter> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: changeCounterPk(region) }, ConsistentRead: true }));
    return { changes: Number(Item?.changes ?? 0), writes: Number(Item?.writes ?? 0) };
  }

  async readLive(region: string, counterKeys: readonly string[]): Promise<{ items: ReadonlyMap<string, CounterItem>; uncounted: number }> {
    const read = await this.batchGet([...counterKeys, uncountedPk(region)], true);
    const items = new Map<string, CounterItem>();
    for (const key of counterKeys) {
      const item = read.get(key);
      if (item) items.set(key, counterItemOf(item));
    }
    const { pk: _pk, [REVISION_ATTRIBUTE]: _revision, ...markers } = read.get(uncountedPk(region)) ?? {};
    return { items, uncounted: Object.keys(markers).length };
  }

  async publish(region: string, release: PublicRelease, items: ReadonlyMap<string, CounterItem>, previous: PublicRelease | undefined): Promise<boolean> {
    const counterKeys = [...items.keys()].sort();
    // The manifest first: whatever happens after it, the release's items can be found and removed.
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { pk: manifestKey(region, release.releaseId), counterKeys } }));
    await this.batchWrite(counterKeys.map((key) => ({ PutRequest: { Item: { ...items.get(key)!.counts, pk: releasedKey(region, release.releaseId, key) } } })));
    let replaced: Record<string, unknown> | undefined;
    try {
      const answer = await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: latestKey(region), ...release, ...(previous && { previousReleaseId: previous.releaseId }) },
          ConditionExpression: previous ? 'releaseId = :previous' : 'attribute_not_exists(pk)',
          ...(previous && { ExpressionAttributeValues: { ':previous': previous.releaseId } }),
          ReturnValues: 'ALL_OLD',
        }),
      );
      replaced = answer.Attributes;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      await this.remove(region, release.releaseId);
      return false;
    }
    // Readers that read the old pointer a moment ago may still read the previous release; none reads the one before.
    if (typeof replaced?.previousReleaseId === 'string') await this.remove(region, replaced.previousReleaseId);
    return true;
  }

  /** Removes a release: its items, then its manifest. */
  private async remove(region: string, releaseId: string): Promise<void> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: manifestKey(region, releaseId) }, ConsistentRead: true }),
    );
    const counterKeys = Array.isArray(Item?.counterKeys) ? (Item.counterKeys as string[]) : [];
    await this.batchWrite(counterKeys.map((key) => ({ DeleteRequest: { Key: { pk: releasedKey(region, releaseId, key) } } })));
    await this.batchWrite([{ DeleteRequest: { Key: { pk: manifestKey(region, releaseId) } } }]);
  }

  private batchGet(keys: readonly string[], consistent: boolean): Promise<Map<string, Record<string, unknown>>> {
    return batchGetByPk(this.documents, this.tableName, keys, { consistent });
  }

  /** BatchWriteItem in requests of 25, writing again (with a short backoff) what was left unprocessed. */
  private async batchWrite(requests: NonNullable<BatchWriteCommandInput['RequestItems']>[string]): Promise<void> {
    for (let start = 0; start < requests.length; start += MAX_BATCH_WRITE) {
      let pending: BatchWriteCommandInput['RequestItems'] = { [this.tableName]: requests.slice(start, start + MAX_BATCH_WRITE) };
      for (let attempt = 1; pending; attempt++) {
        const answer: BatchWriteCommandOutput = await this.documents.send(new BatchWriteCommand({ RequestItems: pending }));
        pending = answer.UnprocessedItems?.[this.tableName]?.length ? answer.UnprocessedItems : undefined;
        if (pending && attempt >= BATCH_ATTEMPTS) throw new Error(`BatchWriteItem left items unprocessed after ${attempt} attempts`);
        if (pending) await sleep(25 * 2 ** attempt);
      }
    }
  }
}
