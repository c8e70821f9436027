import { CELL_KEY_PTABLE, type CompiledPTable, compilePTable, largestSuppressed, type PTable, SUPPRESSED_KEY } from './ptable.js';
import { cellKeyOf, KEY_SPACE } from './record-key.js';

/** What a public figure may show. */
export interface DisclosurePolicy {
  /** True counts from 1 to threshold - 1 are suppressed; 1 publishes every count. */
  readonly threshold: number;
  /** The largest noise, up or down, the p-table may add. */
  readonly maxNoise: number;
  readonly ptable: PTable;
  /**
   * On how many of the 256 keys a 0 that is part of a table (zeroKeyOf) is published as null too, so that a
   * null may always be 0 and a suppressed cell's lower bound is never 1. Above 0 it also turns on the audit
   * of published tables (audit.ts), which relies on it. 0 or left out: zeros are shown, nothing is audited
   * (threshold and noise alone, for comparison).
   */
  readonly zeroKeys?: number;
}

export const DEFAULT_THRESHOLD = 5;

/** DEFAULT_DISCLOSURE_POLICY's zeroKeys: a 0 in a table is null on 1 key in 8 (docs/disclosure.md, "Zeros"). */
export const DEFAULT_ZERO_KEYS = 32;

export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = { threshold: DEFAULT_THRESHOLD, maxNoise: 2, ptable: CELL_KEY_PTABLE, zeroKeys: DEFAULT_ZERO_KEYS };

/**
 * A published count: a number, or null for a count that is too small to show: 1 to
 * largestSuppressedCount(policy), or 0 (inside a suppressed total, or a 0 in a table on some keys: zeroKeyOf),
 * shown as SUPPRESSED_LABEL, "<7".
 */
export type PublishedCount = number | null;

/** The largest true count a null may stand for under the policy: 6 under the default one. */
export const largestSuppressedCount = (policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY) => largestSuppressed(policy.ptable, policy.threshold);

/** How a suppressed cell reads where a text stands for it (CSV, a page): "<7" under the default policy. */
export const suppressedLabel = (policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY) => `<${largestSuppressedCount(policy) + 1}`;

/** The label of a suppressed cell under the default policy: "<7", true of every null (0 to 6). */
export const SUPPRESSED_LABEL = suppressedLabel();

/** The same in words, for a legend beside the figures. */
export const SUPPRESSED_DESCRIPTION = `klein aantal (minder dan ${largestSuppressedCount() + 1})`;

const compiled = new WeakMap<PTable, Map<number, CompiledPTable>>();
/** Each p-table without its suppressed keys: what a count suppressed on its key is shown as when it must be shown (publishUnsuppressed). */
const unsuppressed = new WeakMap<PTable, PTable>();

function compiledOf(ptable: PTable, maxNoise: number): CompiledPTable {
  const byMaxNoise = compiled.get(ptable) ?? new Map<number, CompiledPTable>();
  compiled.set(ptable, byMaxNoise);
  let rows = byMaxNoise.get(maxNoise);
  if (!rows) {
    rows = compilePTable(ptable, maxNoise);
    byMaxNoise.set(maxNoise, rows);
  }
  return rows;
}

/** Policies already checked: publishCell runs millions of times in the attacker tests. */
const checked = new WeakSet<DisclosurePolicy>();

function check(policy: DisclosurePolicy): void {
  if (checked.has(policy)) return;
  if (!Number.isSafeInteger(policy.threshold) || policy.threshold < 1) throw new RangeError(`the threshold is a whole number ≥ 1, not ${policy.threshold}`);
  const zeroKeys = policy.zeroKeys ?? 0;
  if (!Number.isSafeInteger(zeroKeys) || zeroKeys < 0 || zeroKeys > KEY_SPACE)
    throw new RangeError(`zeroKeys is a whole number 0 to ${KEY_SPACE}, not ${zeroKeys}`);
  // The audit shows a suppressed count it finds pinned at the top of what a null may be (audit.ts); that
  // count must then be one that may be shown, at or above the threshold.
  if (zeroKeys > 0 && policy.threshold > 1 && largestSuppressed(policy.ptable, policy.threshold) < policy.threshold)
    throw new RangeError('with zeroKeys the p-table must suppress some counts at or above the threshold on some keys');
  checked.add(policy);
}

function lookupOf(policy: DisclosurePolicy, withSuppression = true): CompiledPTable {
  check(policy);
  const rows = compiledOf(policy.ptable, policy.maxNoise);
  if (withSuppression) return rows;
  let bare = unsuppressed.get(policy.ptable);
  if (!bare) {
    bare = { rows: policy.ptable.rows };
    unsuppressed.set(policy.ptable, bare);
  }
  return compiledOf(bare, policy.maxNoise);
}

/**
 * The public value of a cell holding `count` signals whose record keys sum to `keySum`.
 * - 0 stays 0: no noise invents a signal where there is none (but see publishWithin, and zeroHidden for a 0
 *   in a table).
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

/**
 * A count the p-table suppresses on its key, shown after all: with the noise the key draws in the p-table's
 * row without its suppressed keys (one of the values the count is shown as on other keys). The audit does
 * this for a 5 or 6 that every other published figure already pins down (audit.ts); every other count is
 * published as publishCell publishes it.
 */
export function publishUnsuppressed(count: number, keySum: number, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): PublishedCount {
  if (!Number.isSafeInteger(count) || count < policy.threshold) throw new RangeError(`only a count from the threshold on may be shown, not ${count}`);
  const rows = lookupOf(policy, false);
  return count + rows[Math.min(count - policy.threshold, rows.length - 1)]![cellKeyOf(keySum)]!;
}

/** Whether a 0 with this key (zeroKeyOf) is published as null under the policy: on zeroKeys of the 256 keys. */
export const zeroHidden = (zeroKey: number | undefined, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): boolean =>
  zeroKey !== undefined && zeroKey < (policy.zeroKeys ?? 0);

const ranges = new WeakMap<DisclosurePolicy, Map<number, readonly [number, number]>>();

/**
 * The true counts a published number may stand for, as [lowest, highest]: every count within the noise that
 * the p-table publishes as that number on some key (or, suppressed on its key, shows as that number when the
 * audit shows it). What anyone who knows the method but not the keys can tell of it.
 */
export function countRange(published: number, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): readonly [number, number] {
  const byValue = ranges.get(policy) ?? new Map<number, readonly [number, number]>();
  ranges.set(policy, byValue);
  const known = byValue.get(published);
  if (known) return known;
  const rows = lookupOf(policy);
  const bare = lookupOf(policy, false);
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (let count = Math.max(0, published - policy.maxNoise); count <= published + policy.maxNoise; count++) {
    let hit = count === published && count === 0;
    if (count >= policy.threshold) {
      const row = Math.min(count - policy.threshold, rows.length - 1);
      for (let key = 0; key < KEY_SPACE && !hit; key++) hit = count + rows[row]![key]! === published || count + bare[row]![key]! === published;
    }
    if (hit) {
      lowest = Math.min(lowest, count);
      highest = Math.max(highest, count);
    }
  }
  if (lowest > highest) throw new RangeError(`no count is published as ${published}`);
  const range = [lowest, highest] as const;
  byValue.set(published, range);
  return range;
}
