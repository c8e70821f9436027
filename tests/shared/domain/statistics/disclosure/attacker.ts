import {
  type CellCount,
  type DisclosurePolicy,
  largestSuppressedCount,
  type PublishedCount,
  publishCell,
  publishUnsuppressed,
  recordKeyOf,
} from '#domain/statistics/disclosure/index.js';

/**
 * The attacker of these tests knows everything but the signals: the method, the p-table, the threshold and
 * which published figures are sums of which cells. A published figure is the sum of some atoms (the finest
 * cells of the example) and shows `published`.
 */
export interface Figure {
  atoms: readonly number[];
  published: PublishedCount;
  /**
   * No cell of a table (a total on its own): a null here is never a 0 hidden on its key. Left out, the
   * attacker assumes it may be one when the policy hides zeros (`zeroKeys`), which is never wrong.
   */
  standalone?: boolean;
}

const KEYS = Array.from({ length: 256 }, (_, key) => key);

/**
 * The true counts that could lie behind a published value: a 0 is 0; a null is any count that the p-table
 * suppresses for some cell key (1 to 4, and 5 or 6 on some keys), or 0 too when the figure may be a 0 hidden
 * on its key (`mayBeZero`: a cell of a table under a policy with zeroKeys) or lies inside a suppressed one
 * (`insideSuppressed`: publishWithin hides it whatever it is, but it can be no more than what holds it, so
 * the attacker bounds it by that instead); a number v is any count within the noise of v that the p-table
 * maps to v for some cell key, or that the audit shows as v (the attacker does not know the keys).
 */
export function candidatesFor(published: PublishedCount, policy: DisclosurePolicy, insideSuppressed = false, mayBeZero = (policy.zeroKeys ?? 0) > 0): number[] {
  const byValue = cache.get(policy) ?? new Map<string, number[]>();
  cache.set(policy, byValue);
  const name = `${published}|${insideSuppressed}|${mayBeZero}`;
  const known = byValue.get(name) ?? computeCandidates(published, policy, insideSuppressed, mayBeZero);
  byValue.set(name, known);
  return [...known];
}

const cache = new WeakMap<DisclosurePolicy, Map<string, number[]>>();

function computeCandidates(published: PublishedCount, policy: DisclosurePolicy, insideSuppressed: boolean, mayBeZero: boolean): number[] {
  if (published === 0) return [0];
  const candidates: number[] = [];
  if (published === null) {
    if (insideSuppressed || mayBeZero) candidates.push(0);
    // Inside a suppressed figure a count is at most what that figure may be.
    for (let count = 1; count <= largestSuppressedCount(policy); count++) {
      if (insideSuppressed || KEYS.some((key) => publishCell(count, key, policy) === null)) candidates.push(count);
    }
    return candidates;
  }
  for (let count = Math.max(0, published - policy.maxNoise); count <= published + policy.maxNoise; count++) {
    const shownAs = (key: number) =>
      publishCell(count, key, policy) === published || (count >= policy.threshold && publishUnsuppressed(count, key, policy) === published);
    if (KEYS.some(shownAs)) candidates.push(count);
  }
  return candidates;
}

/** What the attacker knows of a sum of atoms: the true sums it may have. */
export interface Constraint {
  atoms: readonly number[];
  allowed: ReadonlySet<number>;
}

/** Whether a figure lies inside another published one (a strict superset of its atoms) that is suppressed. */
const insideSuppressed = (figure: Figure, figures: readonly Figure[]) =>
  figures.some((other) => other.published === null && other.atoms.length > figure.atoms.length && figure.atoms.every((atom) => other.atoms.includes(atom)));

const mayBeHiddenZero = (figure: Figure, policy: DisclosurePolicy) => !figure.standalone && (policy.zeroKeys ?? 0) > 0;

export function constraintsOf(figures: readonly Figure[], policy: DisclosurePolicy): Constraint[] {
  return figures.map((figure) => ({
    atoms: figure.atoms,
    allowed: new Set(candidatesFor(figure.published, policy, insideSuppressed(figure, figures), mayBeHiddenZero(figure, policy))),
  }));
}

/**
 * Whether some true table (atoms ≥ 0, each at most maxCount) meets every constraint, with `fixed` atoms held
 * at the given values. A depth-first search over the atoms, pruned by the bounds each sum can still reach:
 * the same answer as enumerating every true table, without listing them.
 */
export function someTable(atomCount: number, constraints: readonly Constraint[], fixed: ReadonlyMap<number, number> = new Map(), maxCount = 60): boolean {
  const domains: number[][] = Array.from({ length: atomCount }, (_, atom) =>
    fixed.has(atom) ? [fixed.get(atom)!] : Array.from({ length: maxCount + 1 }, (_, v) => v),
  );
  for (const constraint of constraints) {
    if (constraint.atoms.length === 1) domains[constraint.atoms[0]!] = domains[constraint.atoms[0]!]!.filter((v) => constraint.allowed.has(v));
  }
  if (domains.some((domain) => domain.length === 0)) return false;
  const lo = constraints.map((c) => Math.min(...c.allowed));
  const hi = constraints.map((c) => Math.max(...c.allowed));
  const byAtom = Array.from({ length: atomCount }, (_, atom) => constraints.flatMap((c, i) => (c.atoms.includes(atom) ? [i] : [])));
  // What the atoms from `from` on can still add to each sum, at least and at most.
  const rest = (pick: (domain: number[]) => number) =>
    constraints.map((c) => Array.from({ length: atomCount + 1 }, (_, from) => c.atoms.filter((a) => a >= from).reduce((sum, a) => sum + pick(domains[a]!), 0)));
  const restMin = rest((domain) => Math.min(...domain));
  const restMax = rest((domain) => Math.max(...domain));
  const partial = constraints.map(() => 0);
  const search = (atom: number): boolean => {
    if (atom === atomCount) return constraints.every((c, i) => c.allowed.has(partial[i]!));
    for (const value of domains[atom]!) {
      for (const i of byAtom[atom]!) partial[i]! += value;
      const fits = byAtom[atom]!.every((i) => partial[i]! + restMin[i]![atom + 1]! <= hi[i]! && partial[i]! + restMax[i]![atom + 1]! >= lo[i]!);
      const found = fits && search(atom + 1);
      for (const i of byAtom[atom]!) partial[i]! -= value;
      if (found) return true;
    }
    return false;
  };
  return search(0);
}

/**
 * For every suppressed atom (one that a figure of its own shows as null), the true counts it has in at least
 * one true table that agrees with every published figure; the attacker's best knowledge of it.
 */
export function suppressedValues(atomCount: number, figures: readonly Figure[], policy: DisclosurePolicy): Map<number, number[]> {
  const constraints = constraintsOf(figures, policy);
  const suppressed = figures.filter((figure) => figure.atoms.length === 1 && figure.published === null);
  return new Map(
    suppressed.map((figure) => [
      figure.atoms[0]!,
      candidatesFor(null, policy, insideSuppressed(figure, figures), mayBeHiddenZero(figure, policy)).filter((value) =>
        someTable(atomCount, constraints, new Map([[figure.atoms[0]!, value]])),
      ),
    ]),
  );
}

/** A small deterministic PRNG (mulberry32), so every example can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/**
 * True atoms made of signals: `signals` signals, each given a fresh signalId (and so a record key) and put
 * in an atom drawn with the given weights, so that some atoms stay small.
 */
export function trueAtoms(seed: number, weights: readonly number[], signals: number): CellCount[] {
  const next = random(seed);
  const total = weights.reduce((a, b) => a + b, 0);
  const atoms = weights.map(() => ({ count: 0, keySum: 0 }));
  for (let i = 0; i < signals; i++) {
    let pick = next() * total;
    let atom = 0;
    while (pick >= weights[atom]! && atom < weights.length - 1) pick -= weights[atom++]!;
    atoms[atom]!.count += 1;
    atoms[atom]!.keySum += recordKeyOf(`signal-${seed}-${i}`);
  }
  return atoms;
}
