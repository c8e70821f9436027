import { describe, expect, it } from 'vitest';
import {
  type CellCount,
  combineCells,
  DEFAULT_DISCLOSURE_POLICY,
  type DisclosurePolicy,
  NO_NOISE_PTABLE,
  protectTable,
  publishCell,
  publishWithin,
} from '#domain/statistics/disclosure/index.js';
import { suppressedWithin } from '#domain/statistics/route-exclusion.js';
import { candidatesFor, constraintsOf, type Figure, someTable, trueAtoms } from './attacker.js';

/**
 * The attack that excludeRoute opens: the public asks the same table twice, with all signals and without the
 * cases reported to the RIEC, and subtracts. Each cell of the table is two atoms, its RIEC signals (atom 2i)
 * and the others (atom 2i + 1); the full answer publishes the sums, byRoute publishes the RIEC signals of
 * the whole table, and the answer without RIEC publishes the other atoms one by one. The attacker knows
 * which published figure sums which atoms and looks, for each suppressed figure, for the true counts it can
 * still have.
 */

const policy = DEFAULT_DISCLOSURE_POLICY;
const thresholdOnly: DisclosurePolicy = { threshold: 5, maxNoise: 0, ptable: NO_NOISE_PTABLE };

/** What the two answers publish of the atoms, as GET /v1/public/statistics does (protect, then suppressedWithin). */
function twoAnswers(atoms: readonly CellCount[], p: DisclosurePolicy, nested: boolean): Figure[] {
  const cells = atoms.length / 2;
  const cellsOf = (pick: (i: number) => CellCount) => Object.fromEntries(Array.from({ length: cells }, (_, i) => [`c${i}`, pick(i)]));
  const full = protectTable(
    cellsOf((i) => combineCells([atoms[2 * i]!, atoms[2 * i + 1]!])),
    p,
  );
  const riec = publishWithin(combineCells(atoms.filter((_, a) => a % 2 === 0)), [full.total], p);
  const table = protectTable(
    cellsOf((i) => atoms[2 * i + 1]!),
    p,
  );
  // The answer without RIEC: each figure inside the same figure of the full answer (suppressedWithin), unless `nested` is off.
  const without = nested ? suppressedWithin(table, full) : table;
  const everyCell = Array.from({ length: cells }, (_, i) => i);
  return [
    ...everyCell.map((i) => ({ atoms: [2 * i, 2 * i + 1], published: full.cells[`c${i}`]! })),
    { atoms: atoms.map((_, a) => a), published: full.total },
    { atoms: everyCell.map((i) => 2 * i), published: riec },
    ...everyCell.map((i) => ({ atoms: [2 * i + 1], published: without.cells[`c${i}`]! })),
    { atoms: everyCell.map((i) => 2 * i + 1), published: without.total },
  ];
}

/** For a suppressed figure, the true sums it may have given everything published. */
function possibleSums(atomCount: number, figures: readonly Figure[], figure: Figure, p: DisclosurePolicy): number[] {
  const constraints = constraintsOf(figures, p);
  const inside = figures.some((o) => o.published === null && o.atoms.length > figure.atoms.length && figure.atoms.every((a) => o.atoms.includes(a)));
  return candidatesFor(null, p, inside).filter((value) => someTable(atomCount, [...constraints, { atoms: figure.atoms, allowed: new Set([value]) }]));
}

type Verdict = 'hidden' | 'a zero that a 0 around it shows' | 'pinned by noise at its extreme' | 'pinned';

/** Every suppressed figure of one example: can the attacker pin its true count, and if so, why? */
function attack(atoms: readonly CellCount[], figures: readonly Figure[], p: DisclosurePolicy): Verdict[] {
  const truth = new Map(atoms.map((atom, i) => [i, atom.count]));
  expect(someTable(atoms.length, constraintsOf(figures, p), truth)).toBe(true); // the attacker is never wrong
  const trueSum = (figure: Figure) => figure.atoms.reduce((sum, a) => sum + atoms[a]!.count, 0);
  return figures
    .filter((figure) => figure.published === null)
    .map((figure): Verdict => {
      const possible = possibleSums(atoms.length, figures, figure, p);
      expect(possible).toContain(trueSum(figure));
      if (possible.length >= 2) return 'hidden';
      if (figures.some((other) => other.published === 0 && figure.atoms.every((a) => other.atoms.includes(a)))) return 'a zero that a 0 around it shows';
      if (p.maxNoise === 0) return 'pinned';
      // As within one answer (attack-differencing.test.ts): a pin left by the noise must be explained by a
      // figure around it whose true count sits at an end of what its published value allows.
      const atAnEnd = (other: Figure) => {
        const candidates = candidatesFor(other.published, p);
        return trueSum(other) === Math.min(...candidates) || trueSum(other) === Math.max(...candidates);
      };
      const limits = figures.filter((other) => other !== figure && figure.atoms.some((a) => other.atoms.includes(a)) && atAnEnd(other));
      expect(limits, 'a pin that no figure at its limit explains').not.toEqual([]);
      return 'pinned by noise at its extreme';
    });
}

function tally(cellWeights: readonly number[], seeds: number, p: DisclosurePolicy, nested: boolean) {
  const counts: Record<Verdict, number> = { hidden: 0, 'a zero that a 0 around it shows': 0, 'pinned by noise at its extreme': 0, pinned: 0 };
  // About a quarter of the signals go to the RIEC.
  const weights = cellWeights.flatMap((w) => [w, 3 * w]);
  for (let seed = 1; seed <= seeds; seed++) {
    const atoms = trueAtoms(seed, weights, 4 + (seed % 22));
    for (const verdict of attack(atoms, twoAnswers(atoms, p, nested), p)) counts[verdict]++;
  }
  return counts;
}

describe('attack: the table with all signals against the same table without the RIEC cases', () => {
  it('is not blind: with the threshold alone, the two answers give away a suppressed count that neither gives alone', () => {
    // Two forms: 9 (2 RIEC) and 4 (1 RIEC). Alone, 4 is suppressed and 13 − 9 gives it away anyway; here the
    // point is the answer without RIEC: 7 and 3, and byRoute's 3 RIEC signals: 3 − 2 = 1 RIEC in the small cell.
    const atoms = [
      { count: 2, keySum: 10 },
      { count: 7, keySum: 20 },
      { count: 1, keySum: 30 },
      { count: 3, keySum: 40 },
    ];
    const bare = twoAnswers(atoms, thresholdOnly, false);
    expect(bare.map((f) => f.published)).toEqual([9, null, 13, null, 7, null, 10]);
    const suppressed = bare.filter((f) => f.published === null);
    expect(suppressed.map((f) => possibleSums(atoms.length, bare, f, thresholdOnly))).toEqual([[4], [3], [3]]);
  });

  // Measured over the same seeded Drenthe-sized tables; the ceilings are the measured counts.
  const SHAPES: Record<string, { weights: number[]; seeds: number; bare: number; extremeNoise: number }> = {
    'four forms in one municipality-year': { weights: [6, 4, 2, 1], seeds: 150, bare: 175, extremeNoise: 0 },
    'six municipalities of a province': { weights: [8, 5, 3, 2, 1, 1], seeds: 60, bare: 55, extremeNoise: 0 },
  };
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name}: the noise and the nesting hide what the threshold alone gives away`, { timeout: 120_000 }, () => {
      const bare = tally(shape.weights, shape.seeds, thresholdOnly, false);
      const method = tally(shape.weights, shape.seeds, policy, true);
      expect(bare.pinned).toBe(shape.bare);
      expect(method.pinned).toBe(0);
      expect(method['pinned by noise at its extreme']).toBeLessThanOrEqual(shape.extremeNoise);
    });
  }

  it('nests each figure without RIEC in the same figure with all signals: a 5 shown without RIEC no longer bounds a suppressed cell from below', () => {
    // A cell of 6 signals, one of them RIEC: its 6 suppressed (on 32 of the 256 keys), its 5 without RIEC shown.
    const keys = Array.from({ length: 256 }, (_, key) => key);
    const rest = keys.find((key) => publishCell(5, key, policy) === 5)!;
    const riec = keys.find((key) => publishCell(6, key + rest, policy) === null)!;
    const atoms = [
      { count: 4, keySum: 7 },
      { count: 20, keySum: 99 },
      { count: 1, keySum: riec },
      { count: 5, keySum: rest },
    ];
    const loose = twoAnswers(atoms, policy, false);
    const nested = twoAnswers(atoms, policy, true);
    const cell = { atoms: [2, 3], published: null };
    expect(loose[1]).toEqual(cell);
    // Alone, the 5 says the suppressed cell holds at least 5: of "<7", only 5 or 6 are left.
    expect(loose[5]!.published).toBe(5);
    expect(possibleSums(atoms.length, loose, cell, policy)).toEqual([5, 6]);
    // Nested, the cell without RIEC is suppressed too, and the cell may be anything a suppressed cell may be.
    expect(nested[5]!.published).toBeNull();
    expect(possibleSums(atoms.length, nested, cell, policy).length).toBeGreaterThan(2);
  });

  it('a 0 without RIEC beside a suppressed cell with all signals is suppressed too: it would say that the few signals there all went to the RIEC', () => {
    const atoms = [
      { count: 3, keySum: 7 },
      { count: 20, keySum: 99 },
      { count: 2, keySum: 50 },
      { count: 0, keySum: 0 },
    ];
    expect(twoAnswers(atoms, policy, false)[5]!.published).toBe(0);
    expect(twoAnswers(atoms, policy, true)[5]!.published).toBeNull();
  });
});
