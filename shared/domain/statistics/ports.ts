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
