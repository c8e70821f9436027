import type { Contribution, CounterDeltas } from './counters.js';

/** What the aggregator last counted for one signal. */
export interface AppliedState {
  version: number;
  contribution: Contribution | null;
}

export interface AggregationStore {
  applied(signalId: string): Promise<AppliedState | undefined>;
  /**
   * Records `next` as the signal's applied state and adds the deltas, in one transaction, provided the
   * applied state is still at `previousVersion` (undefined: none yet). False when another writer came first.
   */
  apply(signalId: string, previousVersion: number | undefined, next: AppliedState, deltas: CounterDeltas): Promise<boolean>;
}

export interface CounterReader {
  read(counterKey: string): Promise<Record<string, number>>;
}
