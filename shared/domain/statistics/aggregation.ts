import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { type StoredSignal, StoredSignalSchema } from '#domain/signal/index.js';
import { contributionOf, counterDeltas, isOutdated } from './counters.js';
import type { AggregationStore, Application, Bookkeeping, UncountedScope } from './ports.js';

const MAX_ATTEMPTS = 5;

/** Re-exported for the aggregator and the recount, which read it from here. */
export { StoredSignalSchema };

/** `rebuilt`: counted again, at the same version, under the current dimensions (a recount with --rebuild). */
export type AggregationOutcome = 'counted' | 'unchanged' | 'already-applied' | 'rebuilt';

export interface AggregationOptions {
  /**
   * Also count a signal again whose current version was counted under an older dimensions version, so
   * that it shows under the dimensions added since. Off for the stream: a correction brings a signal up to
   * date by itself, and a replay need not cost the writes.
   */
  rebuild?: boolean;
}

/**
 * The regions whose markers say nothing any more once `version` is counted: a failure of that version or
 * an older one. A marker of a newer version stays (a replayed older record does not make it counted).
 */
function staleMarkers({ uncounted }: Bookkeeping, version: number): string[] {
  return uncounted && uncounted.version <= version ? uncounted.regions : [];
}

/**
 * Brings the counters in line with the signal's newest version. The deltas are computed from what was
 * counted before, not from the stream's old image, so a replayed, repeated or reordered record changes
 * nothing and a corrected signal moves its counts. What was counted before is subtracted under the
 * dimensions version it was counted under, so a correction of a signal counted before dimensions were
 * added subtracts only what it added. A marker left by an earlier failure goes in the same transaction;
 * only a marked signal pays for that.
 */
export async function aggregateSignal(signal: StoredSignal, store: AggregationStore, options: AggregationOptions = {}): Promise<AggregationOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const bookkeeping = await store.bookkeeping(signal.signalId);
    const { applied } = bookkeeping;
    const rebuild = options.rebuild === true && applied?.version === signal.version && isOutdated(applied.contribution);
    if (applied && applied.version >= signal.version && !rebuild) {
      const stale = staleMarkers(bookkeeping, applied.version);
      if (stale.length > 0) await store.unmark(signal.signalId, stale);
      return 'already-applied';
    }
    const contribution = contributionOf(signal);
    const deltas = counterDeltas(applied?.contribution ?? null, contribution);
    const next = { version: signal.version, contribution };
    if (await store.apply(signal.signalId, applied, next, deltas, staleMarkers(bookkeeping, signal.version))) {
      if (rebuild) return 'rebuilt';
      return deltas.size > 0 ? 'counted' : 'unchanged';
    }
  }
  throw new Error(`signal ${signal.signalId}: applied state kept changing under ${MAX_ATTEMPTS} attempts`);
}

/**
 * Counts a batch of stream records as aggregateSignal counts each, with fewer writes: the store adds up
 * the deltas of many signals per counter item and writes each item once a transaction (a bulk load of
 * 500 signals rewrites the region's counter items a handful of times instead of 500). Per signal only its
 * newest version in the batch is counted: the deltas come from what was counted before, so the older
 * records of it add nothing (`already-applied`, as a replay). A marked signal, and every signal of a
 * transaction that lost a race, is counted one by one by aggregateSignal. Answers each record's outcome,
 * in the order given.
 */
export async function aggregateSignals(signals: readonly StoredSignal[], store: AggregationStore): Promise<AggregationOutcome[]> {
  const newest = new Map<string, StoredSignal>();
  for (const signal of signals) {
    const seen = newest.get(signal.signalId);
    if (!seen || signal.version >= seen.version) newest.set(signal.signalId, signal);
  }
  const books = await store.bookkeepings([...newest.keys()]);
  const outcomes = new Map<string, AggregationOutcome>();
  const applications: Application[] = [];
  const oneByOne: StoredSignal[] = [];
  for (const signal of newest.values()) {
    const { applied, uncounted } = books.get(signal.signalId) ?? {};
    if (uncounted) oneByOne.push(signal);
    else if (applied && applied.version >= signal.version) outcomes.set(signal.signalId, 'already-applied');
    else {
      const contribution = contributionOf(signal);
      const deltas = counterDeltas(applied?.contribution ?? null, contribution);
      applications.push({ signalId: signal.signalId, previous: applied, next: { version: signal.version, contribution }, deltas });
      outcomes.set(signal.signalId, deltas.size > 0 ? 'counted' : 'unchanged');
    }
  }
  const raced = applications.length > 0 ? await store.applyAll(applications) : new Set<string>();
  for (const signalId of raced) {
    outcomes.delete(signalId);
    oneByOne.push(newest.get(signalId)!);
  }
  for (const signal of oneByOne) outcomes.set(signal.signalId, await aggregateSignal(signal, store));
  return signals.map((signal) => (newest.get(signal.signalId) === signal ? outcomes.get(signal.signalId)! : 'already-applied'));
}

const known = (value: unknown, codes: readonly string[]) => (typeof value === 'string' && codes.includes(value) ? value : undefined);

/**
 * What can still be read, from a stored item that does not parse, of where it would count. Only known
 * codes are kept: whatever else a broken item holds is not copied into the statistics table.
 */
export function uncountedScope(item: Record<string, unknown>): UncountedScope {
  const region = known(item.region, geography.regionCodes());
  const province = known(item.province, [...geography.provinceCodes(), UNKNOWN]);
  const municipality = known(item.municipality, [...geography.municipalityCodes(), UNKNOWN]);
  const observedAt = item.observedAt;
  const year = typeof observedAt === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(observedAt) ? Number(observedAt.slice(0, 4)) : undefined;
  return { ...(region && { region }), ...(year && { year }), ...(province && { province }), ...(municipality && { municipality }) };
}

/** An error's class name, never its message (which may quote the record). */
function errorName(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  return /^[\w$.-]{1,64}$/.test(name) ? name : 'Error';
}

/**
 * What the aggregator (or the recount) does with a stored signal it could not count. When a version at
 * least as new has been counted meanwhile, the record is superseded: counting it would change nothing,
 * so it is no failure. Otherwise the signal is marked uncounted where its figures would show it (every
 * region when its region cannot be read), so that the statistics say they are too low until it is
 * counted. `item` holds the stored item's plain values, as far as they could be read.
 */
export async function markUncounted(
  signalId: string,
  item: Record<string, unknown>,
  error: unknown,
  store: AggregationStore,
  now = new Date(),
): Promise<'superseded' | 'marked'> {
  // 0: unreadable; such a marker goes with the next version that is counted.
  const version = Number.isSafeInteger(item.version) && (item.version as number) > 0 ? (item.version as number) : 0;
  const bookkeeping = await store.bookkeeping(signalId);
  const { applied } = bookkeeping;
  if (applied && version > 0 && applied.version >= version) {
    const stale = staleMarkers(bookkeeping, applied.version);
    if (stale.length > 0) await store.unmark(signalId, stale);
    return 'superseded';
  }
  const { region, ...where } = uncountedScope(item);
  const regions = region ? [region] : geography.regionCodes();
  await store.markUncounted(regions, version, { signalId, markedAt: now.toISOString(), error: errorName(error), ...where });
  return 'marked';
}
