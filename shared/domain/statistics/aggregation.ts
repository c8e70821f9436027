import { contributionOf, counterDeltas } from './counters.js';
import type { AggregationStore } from './ports.js';
import type { StoredSignal } from '#domain/signal/index.js';

const MAX_ATTEMPTS = 5;

export type AggregationOutcome = 'counted' | 'unchanged' | 'already-applied';

/**
 * Brings the counters in line with the signal's newest version. The deltas are computed from what was
 * counted before, not from the stream's old image, so a replayed, repeated or reordered record changes
 * nothing and a corrected signal moves its counts.
 */
export async function aggregateSignal(signal: StoredSignal, store: AggregationStore): Promise<AggregationOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const applied = await store.applied(signal.signalId);
    if (applied && applied.version >= signal.version) return 'already-applied';
    const contribution = contributionOf(signal);
    const deltas = counterDeltas(applied?.contribution ?? null, contribution);
    if (await store.apply(signal.signalId, applied?.version, { version: signal.version, contribution }, deltas)) {
      return deltas.size > 0 ? 'counted' : 'unchanged';
    }
  }
  throw new Error(`signal ${signal.signalId}: applied state kept changing under ${MAX_ATTEMPTS} attempts`);
}
