import type { AppliedContribution, CounterDeltas } from './counters.js';

/**
 * What the aggregator last counted for one signal: the version, and what it contributed (null: nothing,
 * withdrawn), under the dimensions version it says, which may be older than the current one.
 */
export interface AppliedState {
  version: number;
  contribution: AppliedContribution | null;
}

/** The aggregator's bookkeeping of one signal, read in one request. */
export interface Bookkeeping {
  /** Undefined before the signal was first counted. */
  applied?: AppliedState;
  /**
   * Absent for every healthy signal. Else the regions whose markers name it as uncounted, and the version
   * whose failure put them there (0: unreadable).
   */
  uncounted?: { regions: string[]; version: number };
}

/**
 * Where a signal that could not be counted would have counted, as far as its stored item could still be
 * read: only known codes, never another value of the record. Absent: unknown, so it may be anywhere.
 */
export interface UncountedScope {
  region?: string;
  year?: number;
  province?: string;
  municipality?: string;
}

/** A signal the aggregator could not count, as the statistics answer finds it in its region. */
export interface UncountedMarker extends Omit<UncountedScope, 'region'> {
  signalId: string;
  /** When the last attempt failed. */
  markedAt: string;
  /** The error's name (a class name such as `$ZodError`), never its message. */
  error: string;
}

export interface AggregationStore {
  bookkeeping(signalId: string): Promise<Bookkeeping>;
  /**
   * Records `next` as the signal's applied state and adds the deltas, in one transaction, provided the
   * applied state is still `previous` (undefined: none yet): the same version, and a contribution of the
   * same dimensions version (a rebuild keeps the version and raises only the dimensions version). The
   * same transaction removes the signal's markers in `unmark`. False when another writer came first.
   */
  apply(signalId: string, previous: AppliedState | undefined, next: AppliedState, deltas: CounterDeltas, unmark: readonly string[]): Promise<boolean>;
  /** Marks the signal as uncounted in each region's marker item, and notes the regions and version in its bookkeeping. */
  markUncounted(regions: readonly string[], version: number, marker: UncountedMarker): Promise<void>;
  /** Removes the signal's markers in those regions, and them from its bookkeeping. */
  unmark(signalId: string, regions: readonly string[]): Promise<void>;
  /** The bookkeeping of several signals, read consistently as `bookkeeping` reads one; a signal never counted is absent. */
  bookkeepings(signalIds: readonly string[]): Promise<ReadonlyMap<string, Bookkeeping>>;
  /**
   * Applies several signals as `apply` applies one, with fewer writes: their deltas to the same counter
   * item are added up and written once. The store groups them into transactions as its limits allow; a
   * transaction applies all of its signals or none. Answers the signals that were not applied because
   * another writer came first (their applied state was no longer `previous`), to be counted one by one.
   * Signals with markers to remove are not for this: they go through `apply`.
   */
  applyAll(applications: readonly Application[]): Promise<ReadonlySet<string>>;
}

/** One signal's counting, as `apply` takes it. */
export interface Application {
  signalId: string;
  previous: AppliedState | undefined;
  next: AppliedState;
  deltas: CounterDeltas;
}

/** What GET /v1/statistics reads: one counter item and its region's markers, in one round trip. */
export interface CounterReader {
  read(counterKey: string, region: string): Promise<{ counts: Record<string, number>; uncounted: UncountedMarker[] }>;
}

/** One counter item as read: its counts by attribute, and when it last changed, if its writer noted that. */
export interface CounterItem {
  counts: Record<string, number>;
  /** ISO 8601; absent on items written before the writer noted it. */
  updatedAt?: string;
  /**
   * Goes up with every change of the item, where its store notes that: the same revision of the same item
   * holds the same counts. Absent when the store does not say.
   */
  revision?: number;
}

/**
 * What GET /v1/statistics reads: the counter items of a query (one scope, each year of its period and the
 * year before) with the region's markers, in one BatchGetItem round trip: the cost follows the number of
 * years asked, never the number of signals. An item that does not exist is simply not in `items`.
 * (A port of its own beside CounterReader, so that the aggregation store need not implement it.)
 */
export interface CounterItemsReader {
  readItems(counterKeys: readonly string[], region: string): Promise<{ items: ReadonlyMap<string, CounterItem>; uncounted: UncountedMarker[] }>;
}

/**
 * A public release of a region's figures: a snapshot of its counter items (counts and key sums) that GET
 * /v1/public/statistics reads until the next one, so that the public figures change in releases, never
 * per signal (docs/disclosure.md).
 */
export interface PublicRelease {
  /** Names the snapshot; the ETags of the public answers are made from it. */
  releaseId: string;
  /** ISO 8601. */
  releasedAt: string;
  /** ISO 8601: the earliest moment the next release may be made (if enough signals change by then). */
  nextPossibleAt: string;
  /** The region's change counter when it was made (signals counted, corrected or withdrawn). */
  changesAtRelease: number;
  /** How many of the region's signals were marked uncounted when it was made; the public answer says so without the number. */
  uncounted: number;
}

/** What GET /v1/public/statistics reads: a region's latest release, and counter items as that release holds them. */
export interface ReleaseReader {
  /** Undefined before the region's first release. */
  latest(region: string): Promise<PublicRelease | undefined>;
  /** Counter items of a release by counter key (counts and `k:` key sums); an item the release does not hold is absent. */
  readReleased(region: string, releaseId: string, counterKeys: readonly string[]): Promise<ReadonlyMap<string, CounterItem>>;
}

/**
 * A region's change counter, kept by the aggregator in the transaction that counts a signal: `changes`
 * counts signals counted, corrected or withdrawn (what a release needs five of); `writes` counts every
 * transaction that changed the region's counters, rebuilds included, so that a snapshot can tell that no
 * counting happened while it was read, and a statistics reader that kept items can tell they are current.
 */
export interface ChangeCounter {
  changes: number;
  writes: number;
}

/** What the release function reads and writes. Reads are strongly consistent: a snapshot must be one moment's. */
export interface ReleaseStore extends ReleaseReader {
  changeCounter(region: string): Promise<ChangeCounter>;
  /** The live counter items (counts and key sums) and the number of the region's uncounted markers. */
  readLive(region: string, counterKeys: readonly string[]): Promise<{ items: ReadonlyMap<string, CounterItem>; uncounted: number }>;
  /**
   * Stores the items as the release, then points the region's latest release at it, provided that is still
   * `previous` (undefined: none yet). False when another release came first; its own items are removed
   * again. Releases older than `previous` are removed: readers only ever need the latest and, for a moment,
   * the one before.
   */
  publish(region: string, release: PublicRelease, items: ReadonlyMap<string, CounterItem>, previous: PublicRelease | undefined): Promise<boolean>;
}
