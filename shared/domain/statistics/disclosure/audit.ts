import {
  countRange,
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
  largestSuppressedCount,
  type PublishedCount,
  publishCell,
  publishUnsuppressed,
  zeroHidden,
} from './publish.js';

/**
 * The audit of published figures: before an answer goes out, it plays the attacker on it and shows or hides
 * a few more cells until no suppressed count can be derived from the rest (docs/disclosure.md, "The audit").
 *
 * The answer is a list of figures, each the count of some signals, and sums between them (a table's total
 * and its cells, a year and its months, a cross table's row and its cells). What the attacker knows of each
 * figure is a range of true counts:
 * - a 0 is 0;
 * - a null is 0 to largestSuppressedCount (6): a cell of a table may be a 0 hidden on its key (zeroHidden), a
 *   figure inside a suppressed one may be anything up to it; a figure standing alone is 1 to 6;
 * - a number is countRange: every count the p-table shows as that number on some key.
 * Bounds are carried through the sums until nothing moves (interval propagation): for sums that form a tree
 * (a table under its total, the months under their year under the total) this is exactly what the attacker
 * can derive; for a cross table's rows and columns it is what the attacker derives from each sum in turn.
 * A null whose range closes on a single count above 0 is pinned. Then:
 * - a count at or above the threshold (a 6 suppressed on its key, pinned by totals at the top of their noise)
 *   is shown: it may be shown, and the pin already gives it away;
 * - a smaller count (possible only where sums cross, as in a cross table) has the zeros around it hidden,
 *   first in the sums it is in, then in the sums next to those, then everywhere: a hidden 0 reads as 0 to 6;
 * - if no zero is left to hide, the answer is `withheld`, for the caller to publish less.
 * Every step shows or hides one more figure, never undoes one, so the audit ends. Hidden zeros and shown
 * 5s and 6s are what the rules give on other keys anyway, so an audited answer looks like one that needed
 * no audit: that it ran tells nothing.
 */

export interface AuditFigure {
  readonly count: number;
  readonly keySum: number;
  /** The figures this one lies inside (earlier ones): it is null as soon as one of them is (publishWithin). */
  readonly within?: readonly number[];
  /** A cell of a table: a 0 here may be shown as null (on its zeroKey, or by the audit). */
  readonly tablePart?: boolean;
  /** zeroKeyOf this cell's label and table, for a cell of a table. */
  readonly zeroKey?: number;
  /** Null whatever its count: the same figure is suppressed in an answer this one is compared with (excludeRoute). */
  readonly forcedNull?: boolean;
}

/** The figure `total` holds the figures `parts`: exactly their sum, or (exact false) at least it. */
export interface SumRelation {
  readonly total: number;
  readonly parts: readonly number[];
  readonly exact?: boolean;
}

export interface AuditedFigures {
  readonly published: PublishedCount[];
  /** A small count is still pinned and no zero was left to hide: publish less than these figures (never expected for one table). */
  readonly withheld: boolean;
}

/** What the attacker can tell of each figure: [lowest, highest] true count. */
function rangesOf(figures: readonly AuditFigure[], published: readonly PublishedCount[], policy: DisclosurePolicy): { lo: number[]; hi: number[] } {
  const largest = largestSuppressedCount(policy);
  const lo: number[] = [];
  const hi: number[] = [];
  figures.forEach((figure, i) => {
    const shown = published[i]!;
    if (shown === 0) {
      lo.push(0);
      hi.push(0);
    } else if (shown === null) {
      const mayBeZero = figure.tablePart || figure.forcedNull || figure.within?.some((j) => published[j] === null);
      lo.push(mayBeZero ? 0 : 1);
      hi.push(largest);
    } else {
      const [low, high] = countRange(shown, policy);
      lo.push(low);
      hi.push(high);
    }
  });
  return { lo, hi };
}

/** Narrows the ranges through the sums until nothing moves. False when they contradict (not expected: the truth always fits). */
function propagate(lo: number[], hi: number[], relations: readonly SumRelation[]): boolean {
  for (let moved = true; moved; ) {
    moved = false;
    for (const { total, parts, exact = true } of relations) {
      let sumLo = 0;
      let sumHi = 0;
      for (const p of parts) {
        sumLo += lo[p]!;
        sumHi += hi[p]!;
      }
      if (sumLo > lo[total]!) {
        lo[total] = sumLo;
        moved = true;
      }
      if (exact && sumHi < hi[total]!) {
        hi[total] = sumHi;
        moved = true;
      }
      for (const p of parts) {
        const high = hi[total]! - (sumLo - lo[p]!);
        if (high < hi[p]!) {
          hi[p] = high;
          moved = true;
        }
        if (exact) {
          const low = lo[total]! - (sumHi - hi[p]!);
          if (low > lo[p]!) {
            lo[p] = low;
            moved = true;
          }
        }
      }
      if (lo[total]! > hi[total]! || parts.some((p) => lo[p]! > hi[p]!)) return false;
    }
  }
  return true;
}

/** The published figures, with the audit's choices so far: zeros it hides, suppressed counts it shows. */
function build(figures: readonly AuditFigure[], policy: DisclosurePolicy, hiddenZeros: ReadonlySet<number>, shown: ReadonlySet<number>): PublishedCount[] {
  const published: PublishedCount[] = [];
  figures.forEach((figure, i) => {
    if (figure.within?.some((j) => j >= i)) throw new RangeError(`figure ${i} lies inside a later figure`);
    if (shown.has(i)) published.push(publishUnsuppressed(figure.count, figure.keySum, policy));
    else if (figure.forcedNull || figure.within?.some((j) => published[j] === null)) published.push(null);
    else if (figure.count === 0) published.push(figure.tablePart && (hiddenZeros.has(i) || zeroHidden(figure.zeroKey, policy)) ? null : 0);
    else published.push(publishCell(figure.count, figure.keySum, policy));
  });
  return published;
}

/** The relations that hold any of these figures. */
const relationsHolding = (relations: readonly SumRelation[], held: ReadonlySet<number>) =>
  relations.filter((r) => held.has(r.total) || r.parts.some((p) => held.has(p)));

const figuresOf = (relations: readonly SumRelation[]) => new Set(relations.flatMap((r) => [r.total, ...r.parts]));

/**
 * Publishes the figures (publishCell, inside their containers, zeros hidden on their keys) and, when the
 * policy hides zeros, audits them as described above. A relation the true counts do not satisfy is left out
 * as the equality it claims (kept as "at least" where the total does hold the parts).
 */
export function publishAudited(
  figures: readonly AuditFigure[],
  relations: readonly SumRelation[],
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
): AuditedFigures {
  const hiddenZeros = new Set<number>();
  const shown = new Set<number>();
  if (!policy.zeroKeys) return { published: build(figures, policy, hiddenZeros, shown), withheld: false };

  const sums = relations.flatMap((r): SumRelation[] => {
    if (r.parts.length === 0) return [];
    const parts = r.parts.reduce((sum, p) => sum + figures[p]!.count, 0);
    const total = figures[r.total]!.count;
    if (parts === total) return [r];
    return parts < total ? [{ ...r, exact: false }] : [];
  });

  for (;;) {
    const published = build(figures, policy, hiddenZeros, shown);
    const { lo, hi } = rangesOf(figures, published, policy);
    if (!propagate(lo, hi, sums)) throw new Error('the published figures contradict their own sums');
    const pinned = figures.flatMap((_, i) => (published[i] === null && lo[i] === hi[i] && lo[i]! > 0 ? [i] : []));
    if (pinned.length === 0) return { published, withheld: false };

    const showable = pinned.filter((i) => lo[i]! >= policy.threshold && !figures[i]!.forcedNull);
    if (showable.length > 0) {
      for (const i of showable) shown.add(i);
      continue;
    }
    // Zeros to hide, ever further from the pinned counts: their sums, the sums beside those, all of them.
    const near = relationsHolding(sums, new Set(pinned));
    const nextTo = relationsHolding(sums, figuresOf(near));
    const hideable = (candidates: Iterable<number>) =>
      [...candidates].filter((i) => published[i] === 0 && figures[i]!.tablePart && figures[i]!.count === 0 && !hiddenZeros.has(i));
    const zeros = [figuresOf(near), figuresOf(nextTo), figures.keys()].map(hideable).find((found) => found.length > 0);
    if (!zeros) return { published, withheld: true };
    for (const i of zeros) hiddenZeros.add(i);
  }
}
