import { CELL_KEY_PTABLE, type CompiledPTable, compilePTable, largestSuppressed, type PTable, SUPPRESSED_KEY } from './ptable.js';
import { cellKeyOf } from './record-key.js';

/** What a public figure may show. */
export interface DisclosurePolicy {
  /** True counts from 1 to threshold - 1 are suppressed; 1 publishes every count. */
  readonly threshold: number;
  /** The largest noise, up or down, the p-table may add. */
  readonly maxNoise: number;
  readonly ptable: PTable;
}

export const DEFAULT_THRESHOLD = 5;

export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = { threshold: DEFAULT_THRESHOLD, maxNoise: 2, ptable: CELL_KEY_PTABLE };

/**
 * A published count: a number, or null for a count that is too small to show: 1 to
 * largestSuppressedCount(policy), or 0 inside a suppressed total (shown as SUPPRESSED_LABEL, "<7").
 */
export type PublishedCount = number | null;

/** The largest true count a null may stand for under the policy: 6 under the default one. */
export const largestSuppressedCount = (policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY) => largestSuppressed(policy.ptable, policy.threshold);

/** How a suppressed cell reads where a text stands for it (CSV, a page): "<7" under the default policy. */
export const suppressedLabel = (policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY) => `<${largestSuppressedCount(policy) + 1}`;

/** The label of a suppressed cell under the default policy: "<7", true of every null (1 to 6, or 0 inside a suppressed total). */
export const SUPPRESSED_LABEL = suppressedLabel();

/** The same in words, for a legend beside the figures. */
export const SUPPRESSED_DESCRIPTION = `klein aantal (minder dan ${largestSuppressedCount() + 1})`;

const compiled = new WeakMap<PTable, Map<number, CompiledPTable>>();

function lookupOf(policy: DisclosurePolicy): CompiledPTable {
  if (!Number.isSafeInteger(policy.threshold) || policy.threshold < 1) throw new RangeError(`the threshold is a whole number ≥ 1, not ${policy.threshold}`);
  const byMaxNoise = compiled.get(policy.ptable) ?? new Map<number, CompiledPTable>();
  compiled.set(policy.ptable, byMaxNoise);
  let rows = byMaxNoise.get(policy.maxNoise);
  if (!rows) {
    rows = compilePTable(policy.ptable, policy.maxNoise);
    byMaxNoise.set(policy.maxNoise, rows);
  }
  return rows;
}

/**
 * The public value of a cell holding `count` signals whose record keys sum to `keySum`.
 * - 0 stays 0: no noise invents a signal where there is none (but see publishWithin).
 * - 1 up to threshold - 1 is null: too few to show, whatever the key.
 * - From the threshold on, the p-table adds noise chosen by the cell key, never below the threshold; for
 *   the keys its `suppressed` rows name, a count just above the threshold is null too (5 on 64 of the 256
 *   keys, 6 on 32, under the default policy), so that a null does not say "at most 4".
 * The answer depends on (count, keySum) alone, so the same signals get the same figure in every table and
 * every release, and asking again teaches nothing. A total is a cell of its own: it is perturbed by its
 * own key, not summed from perturbed parts, so published parts do not add up to the published total.
 * That is on purpose: if they added up, the total minus the shown parts would give the suppressed part.
 */
export function publishCell(count: number, keySum: number, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): PublishedCount {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`a count is a whole number ≥ 0, not ${count}`);
  const rows = lookupOf(policy);
  const key = cellKeyOf(keySum);
  if (count === 0) return 0;
  if (count < policy.threshold) return null;
  const noise = rows[Math.min(count - policy.threshold, rows.length - 1)]![key]!;
  return noise === SUPPRESSED_KEY ? null : count + noise;
}
