import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import {
  type AggregationStore,
  type Application,
  type AppliedState,
  type Bookkeeping,
  type CounterDeltas,
  type CounterReader,
  dimensionsVersionOf,
  type UncountedMarker,
} from '#domain/statistics/index.js';
import { batchGetByPk } from './batch-get.js';
import { markerOf } from './counter-reader.js';
import { documentClient } from './document-client.js';
import { appliedPk, changeCounterPk, REVISION_ATTRIBUTE, uncountedPk } from './statistics-keys.js';

const appliedKey = (signalId: string) => ({ pk: appliedPk(signalId) });
const uncountedKey = (region: string) => ({ pk: uncountedPk(region) });
const changeCounterKey = (region: string) => ({ pk: changeCounterPk(region) });
const REGION_COUNTER = /^counter#region#([^#]+)#/;
const _BATCH_GET_ATTEMPTS = 5;

/** DynamoDB's limits (developer guide, "Constraints": expression parameters, transactions). */
const MAX_EXPRESSION_BYTES = 4096;
const MAX_UPDATE_OPERATIONS = 300;
const MAX_TRANSACTION_ITEMS = 100;

/**
 * The condition that the signal's applied state is still `previous`: its version, and its contribution's
 * dimensions version (a rebuild rewrites the same version under newer dimensions; two rebuilds racing must
 * not both subtract the old contribution). A contribution of version 1 has no dimensionsVersion attribute.
 */
function appliedCondition(previous: AppliedState | undefined): {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
} {
  if (!previous) return { expression: 'attribute_not_exists(#version)' };
  const values: Record<string, unknown> = { ':previous': previous.version };
  const names = { '#dimensionsVersion': 'dimensionsVersion' };
  if (previous.contribution === null)
    return { expression: '#version = :previous AND attribute_type(#contribution, :null)', values: { ...values, ':null': 'NULL' } };
  const dimensions = dimensionsVersionOf(previous.contribution);
  if (dimensions === 1) return { expression: '#version = :previous AND attribute_not_exists(#contribution.#dimensionsVersion)', names, values };
  return {
    expression: '#version = :previous AND #contribution.#dimensionsVersion = :previousDimensions',
    names,
    values: { ...values, ':previousDimensions': dimensions },
  };
}

/**
 * One counter item's deltas as a single ADD: `ADD #a0 :d0, #a1 :d1, …`, the attribute names (which hold
 * `#`, `|` and `:`) always as placeholders; and when the item last changed (`updatedAt`, ISO 8601, for the
 * statistics answer; never a count: the readers take numbers only). `revision` goes up by one with every
 * change, so that a reader may keep an item and ask for its revision alone (counter-reader.ts).
 *
 * A signal touches at most 31 attributes and their 31 key sums in an item (total, 15 one-way dimensions
 * with person and signalledBefore, 5 further forms, 5 pairs, 5 routes) and one route-set count: 63; a
 * correction that changes every one of them, at most 126 deltas: some 1.6 KB of expression and 127 operations, well within the 4 KB and
 * 300 an update expression may have. An item cannot be split over two updates in one transaction (one
 * action per item), so going over throws rather than counting twice or half.
 */
export function counterUpdate(attributes: ReadonlyMap<string, number>, updatedAt: string) {
  const entries = [...attributes];
  const expression = counterExpression(entries.length);
  if (!updateFits(entries.length)) {
    throw new RangeError(`a counter update of ${entries.length} attributes (${Buffer.byteLength(expression)} bytes) is over DynamoDB's limits`);
  }
  return {
    UpdateExpression: expression,
    ExpressionAttributeNames: {
      ...Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
      '#updatedAt': 'updatedAt',
      '#revision': REVISION_ATTRIBUTE,
    },
    ExpressionAttributeValues: { ...Object.fromEntries(entries.map(([, delta], i) => [`:d${i}`, delta])), ':updatedAt': updatedAt, ':one': 1 },
  };
}

/** The regions whose counters the deltas change, sorted: one ADD to each one's change counter. */
function regionsChangedBy(deltas: CounterDeltas): string[] {
  return [...new Set([...deltas.keys()].flatMap((key) => REGION_COUNTER.exec(key)?.[1] ?? []))].sort();
}

/** A signal's bookkeeping from its applied item. A signal marked before it was ever counted has an applied item without a version. */
function bookkeepingOf(item: Record<string, unknown>): Bookkeeping {
  const regions = item.uncountedIn instanceof Set ? [...(item.uncountedIn as Set<string>)].sort() : [];
  return {
    ...(item.version !== undefined && {
      applied: { version: Number(item.version), contribution: (item.contribution ?? null) as AppliedState['contribution'] },
    }),
    ...(regions.length > 0 && { uncounted: { regions, version: Number(item.uncountedVersion ?? 0) } }),
  };
}

/** Adds one signal's deltas into `sums`, per counter item and attribute. */
function addDeltas(sums: Map<string, Map<string, number>>, deltas: CounterDeltas): void {
  for (const [pk, attributes] of deltas) {
    const item = sums.get(pk) ?? new Map<string, number>();
    for (const [name, delta] of attributes) item.set(name, (item.get(name) ?? 0) + delta);
    sums.set(pk, item);
  }
}

/** The deltas of several signals added up per counter item and attribute. */
function mergedDeltas(applications: readonly Application[]): CounterDeltas {
  const merged = new Map<string, Map<string, number>>();
  for (const { deltas } of applications) addDeltas(merged, deltas);
  return merged;
}

/** Whether one counter item's update of this many attributes stays within an update expression's limits (counterUpdate). */
function updateFits(attributes: number): boolean {
  return attributes + 2 <= MAX_UPDATE_OPERATIONS && Buffer.byteLength(counterExpression(attributes)) <= MAX_EXPRESSION_BYTES;
}

/** The update expression of a counter item's ADD of `attributes` counts, its revision and its updatedAt. */
function counterExpression(attributes: number): string {
  return `ADD ${Array.from({ length: attributes }, (_, i) => `#a${i} :d${i}`).join(', ')}, #revision :one SET #updatedAt = :updatedAt`;
}

/**
 * Signals grouped, in order, into transactions that DynamoDB takes: at most 100 items (an applied item a
 * signal, each counter item once, a change counter a region) and every counter item's update within its
 * limits once the deltas are added up. One signal always fits, as it does for `apply`.
 */
export function transactionsOf(applications: readonly Application[]): Application[][] {
  const chunks: Application[][] = [];
  let chunk: Application[] = [];
  let attributes = new Map<string, Set<string>>();
  let regions = new Set<string>();
  for (const application of applications) {
    const nextAttributes = new Map(attributes);
    for (const [pk, deltas] of application.deltas) nextAttributes.set(pk, new Set([...(attributes.get(pk) ?? []), ...deltas.keys()]));
    const nextRegions = new Set([...regions, ...regionsChangedBy(application.deltas)]);
    const fits =
      chunk.length + 1 + nextAttributes.size + nextRegions.size <= MAX_TRANSACTION_ITEMS &&
      [...application.deltas.keys()].every((pk) => updateFits(nextAttributes.get(pk)!.size));
    if (fits || chunk.length === 0) {
      chunk.push(application);
      attributes = nextAttributes;
      regions = nextRegions;
      continue;
    }
    chunks.push(chunk);
    chunk = [application];
    attributes = new Map([...application.deltas].map(([pk, deltas]) => [pk, new Set(deltas.keys())]));
    regions = new Set(regionsChangedBy(application.deltas));
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/** A signal counted for the first time: the applied state and the deltas (counterDeltas(null, contribution)) that `apply` would write. */
export interface FirstCount {
  signalId: string;
  applied: AppliedState;
  deltas: CounterDeltas;
}

/**
 * The items that `apply` leaves once each of a set of signals has been counted for the first time, made in
 * memory so that each is written once: for a bulk load into a table where none of them has been counted
 * (the statistics benchmark seeds 100 000 signals with it). `add` gives a signal's applied item; write it
 * before the signal, so that the stream that reads the signal finds it applied and changes nothing. The
 * counter items are the sums of all their ADDs; each region's change counter counts (`changes` and
 * `writes`) the signals that changed its counters. Write the change counters last: until they are there,
 * the release function sees nothing to release, so it never snapshots half-written counters.
 */
export class FirstCountLoad {
  private readonly seen = new Set<string>();
  private readonly counters = new Map<string, Map<string, number>>();
  /** Per counter item, the transactions `apply` would have made on it: its revision. */
  private readonly revisions = new Map<string, number>();
  private readonly changes = new Map<string, number>();

  add({ signalId, applied, deltas }: FirstCount): Record<string, unknown> {
    if (this.seen.has(signalId)) throw new Error(`signal ${signalId} twice in one first count`);
    this.seen.add(signalId);
    addDeltas(this.counters, deltas);
    for (const pk of deltas.keys()) this.revisions.set(pk, (this.revisions.get(pk) ?? 0) + 1);
    for (const region of regionsChangedBy(deltas)) this.changes.set(region, (this.changes.get(region) ?? 0) + 1);
    return { ...appliedKey(signalId), version: applied.version, contribution: applied.contribution };
  }

  counterItems(updatedAt: string): Record<string, unknown>[] {
    // Attribute by attribute: spreading thousands of attributes into an object literal is quadratic in V8.
    return [...this.counters].map(([pk, attributes]) => {
      const item: Record<string, unknown> = { pk };
      for (const [name, count] of attributes) item[name] = count;
      item.updatedAt = updatedAt;
      item[REVISION_ATTRIBUTE] = this.revisions.get(pk);
      return item;
    });
  }

  changeCounterItems(): Record<string, unknown>[] {
    return [...this.changes].map(([region, n]) => ({ ...changeCounterKey(region), changes: n, writes: n }));
  }
}

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
 *
 * Size: the largest counter item is a region's in a year with every value of every dimension counted:
 * 712 counts (167 one-way, 6 of them routes, 6 person and signalledBefore; 545 in the five pairs; 41 municipalities and 41 exploitation
 * municipalities × 5 forms the most), as many key sums, and the 32 route-set counts: 1,456 attributes.
 * Their names take some 50 KB, their values (99,999 signals a cell) some 6 KB: about 56 KB, against the
 * 400 KB an item may hold (measured in the adapter's test). A route-set item holds the same attributes for
 * fewer signals, so it is never larger. Should the exploitation municipality range over all 342 of the
 * country: about 235 KB. Writes pay by the item's size: an update of a full region item costs some 56
 * write units, doubled in a transaction; a strongly consistent read of it 14 read units. Under dimensions
 * version 3 a signal is counted in its route-set item beside each counter item (route-exclusion.ts), so a
 * signal's transaction updates 6 counter items instead of 3 (12 when a correction moves it between scopes
 * or route sets: with the applied item, the change counters of at most two regions and the markers, under
 * 20 of the 100 a transaction may hold), and each write costs about twice what it did. The region's change
 * counter (for the public releases) is one more small item in each counting transaction: 2 write units a
 * signal.
 */
export class DynamoDbAggregationStore implements AggregationStore, CounterReader {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.documents = documentClient(client);
  }

  async bookkeeping(signalId: string): Promise<Bookkeeping> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: appliedKey(signalId), ConsistentRead: true }));
    return Item ? bookkeepingOf(Item) : {};
  }

  /** The applied item's update: `next`, on the condition that it is still `previous`. */
  private appliedUpdate(signalId: string, previous: AppliedState | undefined, next: AppliedState, unmark: readonly string[]) {
    // An update, not a put: a marker another writer notes meanwhile (a region not in `unmark`) stays noted.
    const condition = appliedCondition(previous);
    return {
      Update: {
        TableName: this.tableName,
        Key: appliedKey(signalId),
        UpdateExpression: `SET #version = :version, #contribution = :contribution${unmark.length > 0 ? ' REMOVE uncountedVersion DELETE uncountedIn :unmark' : ''}`,
        ConditionExpression: condition.expression,
        ExpressionAttributeNames: { '#version': 'version', '#contribution': 'contribution', ...condition.names },
        ExpressionAttributeValues: {
          ':version': next.version,
          ':contribution': next.contribution,
          ...condition.values,
          ...(unmark.length > 0 && { ':unmark': new Set(unmark) }),
        },
      },
    };
  }

  async bookkeepings(signalIds: readonly string[]): Promise<ReadonlyMap<string, Bookkeeping>> {
    const read = await batchGetByPk(this.documents, this.tableName, signalIds.map(appliedPk), { consistent: true });
    const bookkeepings = new Map<string, Bookkeeping>();
    for (const id of signalIds) {
      const item = read.get(appliedPk(id));
      if (item) bookkeepings.set(id, bookkeepingOf(item));
    }
    return bookkeepings;
  }

  async applyAll(applications: readonly Application[]): Promise<ReadonlySet<string>> {
    const raced = new Set<string>();
    for (const chunk of transactionsOf(applications)) {
      const merged = mergedDeltas(chunk);
      const updatedAt = this.now().toISOString();
      const items = [
        ...chunk.map((a) => this.appliedUpdate(a.signalId, a.previous, a.next, [])),
        ...[...merged].map(([pk, attributes]) => ({ Update: { TableName: this.tableName, Key: { pk }, ...counterUpdate(attributes, updatedAt) } })),
        ...this.changeCountsOf(chunk),
      ];
      try {
        await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
      } catch (error) {
        // A condition failed: another writer counted one of them first. Nothing of the transaction was written.
        if (error instanceof TransactionCanceledException && error.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')) {
          for (const a of chunk) raced.add(a.signalId);
          continue;
        }
        throw error;
      }
    }
    return raced;
  }

  async apply(signalId: string, previous: AppliedState | undefined, next: AppliedState, deltas: CounterDeltas, unmark: readonly string[]): Promise<boolean> {
    const applied = this.appliedUpdate(signalId, previous, next, unmark);
    const updatedAt = this.now().toISOString();
    const counters = [...deltas].map(([pk, attributes]) => ({ Update: { TableName: this.tableName, Key: { pk }, ...counterUpdate(attributes, updatedAt) } }));
    const rebuild = previous !== undefined && previous.version === next.version;
    const items = [applied, ...counters, ...this.changeCounts(deltas, rebuild), ...this.markerRemovals(signalId, unmark)];
    if (items.length > MAX_TRANSACTION_ITEMS)
      throw new RangeError(`one signal's counting touches ${items.length} items, over a transaction's ${MAX_TRANSACTION_ITEMS}`);
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: items }));
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
        UpdateExpression: 'SET #signal = :marker ADD #revision :one',
        ExpressionAttributeNames: { '#signal': signalId, '#revision': REVISION_ATTRIBUTE },
        ExpressionAttributeValues: { ':marker': entry, ':one': 1 },
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

  /**
   * One more item in the transaction for each region whose counters it changes (one, unless a correction
   * moves a signal to another region): ADD 1 to the region's change counter, so that a release knows how
   * many signals changed since the last one and a snapshot knows that nothing was counted while it was read.
   * A rebuild (the same version under newer dimensions) changes no signal, so it adds to `writes` alone.
   */
  private changeCounts(deltas: CounterDeltas, rebuild: boolean) {
    return regionsChangedBy(deltas).map((region) => ({
      Update: {
        TableName: this.tableName,
        Key: changeCounterKey(region),
        UpdateExpression: rebuild ? 'ADD #writes :one' : 'ADD #changes :one, #writes :one',
        ExpressionAttributeNames: { '#writes': 'writes', ...(!rebuild && { '#changes': 'changes' }) },
        ExpressionAttributeValues: { ':one': 1 },
      },
    }));
  }

  /** As changeCounts, for one transaction of several signals: each region's `changes` by the signals that changed its counters, `writes` by one. */
  private changeCountsOf(chunk: readonly Application[]) {
    const changed = new Map<string, number>();
    for (const a of chunk) for (const region of regionsChangedBy(a.deltas)) changed.set(region, (changed.get(region) ?? 0) + 1);
    return [...changed]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, n]) => ({
        Update: {
          TableName: this.tableName,
          Key: changeCounterKey(region),
          UpdateExpression: 'ADD #changes :changes, #writes :one',
          ExpressionAttributeNames: { '#changes': 'changes', '#writes': 'writes' },
          ExpressionAttributeValues: { ':changes': n, ':one': 1 },
        },
      }));
  }

  private markerRemovals(signalId: string, regions: readonly string[]) {
    return regions.map((region) => ({
      Update: {
        TableName: this.tableName,
        Key: uncountedKey(region),
        UpdateExpression: 'REMOVE #signal ADD #revision :one',
        ExpressionAttributeNames: { '#signal': signalId, '#revision': REVISION_ATTRIBUTE },
        ExpressionAttributeValues: { ':one': 1 },
      },
    }));
  }

  async read(counterKey: string, region: string): Promise<{ counts: Record<string, number>; uncounted: UncountedMarker[] }> {
    const items = await this.batchGet([{ pk: counterKey }, uncountedKey(region)]);
    const { pk: _counter, ...counts } = items.get(counterKey) ?? {};
    const { pk: _markers, [REVISION_ATTRIBUTE]: _revision, ...markers } = items.get(uncountedKey(region).pk) ?? {};
    return {
      counts: Object.fromEntries(Object.entries(counts).filter((entry): entry is [string, number] => typeof entry[1] === 'number')),
      uncounted: Object.entries(markers).map(([signalId, entry]) => markerOf(signalId, entry)),
    };
  }

  private batchGet(keys: Record<string, string>[]): Promise<Map<string, Record<string, unknown>>> {
    return batchGetByPk(
      this.documents,
      this.tableName,
      keys.map((key) => String(key.pk)),
    );
  }
}
