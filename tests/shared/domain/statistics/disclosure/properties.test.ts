import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditFigure,
  type CellCount,
  combineCells,
  DEFAULT_DISCLOSURE_POLICY,
  largestSuppressedCount,
  type PublishedCount,
  protectTable,
  protectTotal,
  protectTwoWayTable,
  publishAudited,
  publishCell,
  recordKeyOf,
  releasableChange,
  zeroKeyOf,
} from '#domain/statistics/disclosure/index.js';
import { type Figure, suppressedValues, trueAtoms } from './attacker.js';
import { CELLS, cellsOfOneSignal, changeOf, consistentPlacements, publish, withNewSignals } from './release-attacker.js';

const policy = DEFAULT_DISCLOSURE_POLICY;

/**
 * What every published figure must be, given the true count behind it and whether a figure that holds it
 * is suppressed: then it is suppressed too. A number is never 1 to 4 and within the noise of the count; a
 * null stands for at most 6, so the label "<7" is true of it; a 0 is 0 (or, in a table, null on some keys).
 */
function expectSafe(shown: PublishedCount, count: number, insideSuppressed = false, tablePart = true) {
  if (shown === null) expect(count).toBeLessThanOrEqual(largestSuppressedCount(policy));
  if (shown === 0) expect(count).toBe(0);
  if (insideSuppressed) expect(shown).toBeNull();
  else if (count === 0) expect(tablePart ? [0, null] : [0]).toContain(shown);
  else if (count < policy.threshold) expect(shown).toBeNull();
  else if (shown !== null) {
    expect(shown).toBeGreaterThanOrEqual(policy.threshold);
    expect(Math.abs(shown - count)).toBeLessThanOrEqual(policy.maxNoise);
  }
}

const cellArb: fc.Arbitrary<CellCount> = fc.record({
  count: fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 500 })),
  keySum: fc.nat({ max: 255 * 500 }),
});
const tableArb = fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), cellArb, { minKeys: 1, maxKeys: 12 });

describe('published figures (property)', () => {
  it('of a one-way table are never 1 to 4, keep 0 as 0, stay within the noise and are the same every time', () => {
    fc.assert(
      fc.property(tableArb, (table) => {
        const shown = protectTable(table, policy);
        expect(protectTable(table, policy)).toEqual(shown);
        const total = Object.values(table).reduce((sum, cell) => sum + cell.count, 0);
        expectSafe(shown.total, total, false, false);
        for (const [key, cell] of Object.entries(table)) expectSafe(shown.cells[key]!, cell.count, shown.total === null);
        expect(protectTotal(Object.values(table), policy)).toBe(shown.total);
      }),
      { numRuns: 300 },
    );
  });

  it('of a two-way table, its margins and its total obey the same rules', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), tableArb, { minKeys: 1, maxKeys: 5 }), (table) => {
        const shown = protectTwoWayTable(table, policy);
        expect(protectTwoWayTable(table, policy)).toEqual(shown);
        const columns = [...new Set(Object.values(table).flatMap((row) => Object.keys(row)))];
        const countAt = (row: string, column: string) => (Object.hasOwn(table[row]!, column) ? table[row]![column]!.count : 0);
        const grand = shown.total === null;
        for (const row of Object.keys(table)) {
          expectSafe(
            shown.rowTotals[row]!,
            columns.reduce((sum, column) => sum + countAt(row, column), 0),
            grand,
          );
          for (const column of columns) {
            const around = grand || shown.rowTotals[row] === null || shown.columnTotals[column] === null;
            expectSafe(shown.cells[row]![column]!, countAt(row, column), around);
          }
        }
        for (const column of columns)
          expectSafe(
            shown.columnTotals[column]!,
            Object.keys(table).reduce((sum, row) => sum + countAt(row, column), 0),
            grand,
          );
      }),
      { numRuns: 200 },
    );
  });

  it('follow the signals, not their history: counted, corrected and withdrawn in any order, a cell shows what its signals give', () => {
    // Each step counts a new signal in a cell, moves one (a correction) or withdraws one; the counters are
    // kept as the aggregator keeps them, by adding and subtracting record keys. After every step each cell
    // must show what a count from scratch of its present signals shows.
    const step = fc.oneof(
      fc.record({ kind: fc.constant('count' as const), cell: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('correct' as const), pick: fc.nat(), cell: fc.nat({ max: 3 }) }),
      fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), fc.nat(), (steps, run) => {
        const counters = Array.from({ length: 4 }, () => ({ count: 0, keySum: 0 }));
        const present = new Map<string, number>(); // signalId → cell
        const move = (id: string, cell: number, sign: 1 | -1) => {
          counters[cell]!.count += sign;
          counters[cell]!.keySum = (counters[cell]!.keySum + sign * recordKeyOf(id)) % 256; // kept reduced: it may go negative
        };
        steps.forEach((s, i) => {
          const ids = [...present.keys()];
          if (s.kind === 'count') {
            const id = `signal-${run}-${i}`;
            present.set(id, s.cell);
            move(id, s.cell, 1);
          } else if (ids.length > 0) {
            const id = ids[s.pick % ids.length]!;
            move(id, present.get(id)!, -1);
            if (s.kind === 'correct') {
              present.set(id, s.cell);
              move(id, s.cell, 1);
            } else present.delete(id);
          }
          for (const [cell, counter] of counters.entries()) {
            const signals = [...present].filter(([, c]) => c === cell).map(([id]) => id);
            const fromScratch = publishCell(
              signals.length,
              signals.reduce((sum, id) => sum + recordKeyOf(id), 0),
              policy,
            );
            const shown = publishCell(counter.count, counter.keySum, policy);
            expect(shown).toBe(fromScratch);
            expectSafe(shown, signals.length);
          }
        });
      }),
      { numRuns: 150 },
    );
  });
});

/** The suppressed atoms the attacker pins to a count above 0 (a pinned 0 is no one): what must never happen. */
function pinnedAtoms(atoms: readonly CellCount[], figures: readonly Figure[]): number[] {
  return [...suppressedValues(atoms.length, figures, policy)].flatMap(([atom, possible]) => {
    expect(possible).toContain(atoms[atom]!.count); // the attacker is never wrong
    return possible.length === 1 && possible[0]! > 0 ? [atom] : [];
  });
}

// Small counts, as a Drenthe year has them, with keys chosen freely: noise at its extremes is as likely as any.
const smallCell: fc.Arbitrary<CellCount> = fc.record({
  count: fc.oneof(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 16 })),
  keySum: fc.nat({ max: 255 * 16 }),
});

describe('no suppressed count can be derived (property, the attacker of attack-differencing.test.ts)', () => {
  it('from a one-way table and its total: total minus the shown cells, at any noise', () => {
    fc.assert(
      fc.property(fc.array(smallCell, { minLength: 2, maxLength: 6 }), (atoms) => {
        const shown = protectTable(Object.fromEntries(atoms.map((atom, i) => [`c${i}`, atom])), policy);
        const figures: Figure[] = [
          ...atoms.map((_, i) => ({ atoms: [i], published: shown.cells[`c${i}`]! })),
          { atoms: atoms.map((_, i) => i), published: shown.total, standalone: true },
        ];
        expect(pinnedAtoms(atoms, figures)).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('from months under their years under a total (nested tables, as one answer holds them)', () => {
    // Two years of three months: the total, the years inside it, the months inside their year; sums between all.
    fc.assert(
      fc.property(fc.array(smallCell, { minLength: 6, maxLength: 6 }), (months) => {
        const years = [combineCells(months.slice(0, 3)), combineCells(months.slice(3))];
        const total = combineCells(years);
        const figures: AuditFigure[] = [
          total,
          ...years.map((year, y) => ({ ...year, within: [0], tablePart: true, zeroKey: zeroKeyOf(`year#${y}`, [total, ...years]) })),
          ...months.map((month, m) => {
            const y = m < 3 ? 0 : 1;
            return { ...month, within: [0, 1 + y], tablePart: true, zeroKey: zeroKeyOf(`month#${m}`, [years[y]!, ...months.slice(3 * y, 3 * y + 3)]) };
          }),
        ];
        const relations = [
          { total: 0, parts: [1, 2] },
          { total: 0, parts: [3, 4, 5, 6, 7, 8] },
          { total: 1, parts: [3, 4, 5] },
          { total: 2, parts: [6, 7, 8] },
        ];
        const { published, withheld } = publishAudited(figures, relations, policy);
        expect(withheld).toBe(false);
        const shown: Figure[] = [
          { atoms: [0, 1, 2, 3, 4, 5], published: published[0]!, standalone: true },
          { atoms: [0, 1, 2], published: published[1]! },
          { atoms: [3, 4, 5], published: published[2]! },
          ...months.map((_, m) => ({ atoms: [m], published: published[3 + m]! })),
        ];
        expect(pinnedAtoms(months, shown)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('from a two-way table against its margins and total', { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(fc.array(smallCell, { minLength: 6, maxLength: 6 }), (atoms) => {
        const at = (r: number, c: number) => r * 3 + c;
        const table = Object.fromEntries([0, 1].map((r) => [`r${r}`, Object.fromEntries([0, 1, 2].map((c) => [`c${c}`, atoms[at(r, c)]!]))]));
        const shown = protectTwoWayTable(table, policy);
        expect(shown.withheld).toBeUndefined();
        const figures: Figure[] = [
          ...[0, 1].flatMap((r) => [0, 1, 2].map((c) => ({ atoms: [at(r, c)], published: shown.cells[`r${r}`]![`c${c}`]! }))),
          ...[0, 1].map((r) => ({ atoms: [0, 1, 2].map((c) => at(r, c)), published: shown.rowTotals[`r${r}`]! })),
          ...[0, 1, 2].map((c) => ({ atoms: [0, 1].map((r) => at(r, c)), published: shown.columnTotals[`c${c}`]! })),
          { atoms: atoms.map((_, i) => i), published: shown.total, standalone: true },
        ];
        expect(pinnedAtoms(atoms, figures)).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});

describe('no single new signal can be placed between releases (property, the attacker of attack-releases.test.ts)', () => {
  it('signals arrive in random cells; a release is made only when releasableChange allows, and then no one of them is pinned to its cell', {
    timeout: 120_000,
  }, () => {
    // Arrivals drawn from few cells, so that many sequences put all of them in one.
    const arrivals = fc.array(fc.constantFrom(0, 0, 0, 5, 7), { minLength: 5, maxLength: 6 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), arrivals, (seed, cells) => {
        const first = trueAtoms(seed, [5, 3, 4, 2, 6, 4, 3, 2], 18 + (seed % 15));
        const second = withNewSignals(first, cells, seed);
        const allInOne = cells.every((cell) => cell === cells[0]);
        expect(releasableChange(changeOf(first, second))).toBe(!allInOne);
        if (allInOne) return; // held: no second release to compare
        const consistent = consistentPlacements(publish(first), publish(second), cells.length);
        expect(consistent).toContainEqual(CELLS.map((c) => cells.filter((x) => x === c).length));
        expect(cellsOfOneSignal(consistent).length).toBeGreaterThanOrEqual(2);
      }),
      { numRuns: 25 },
    );
  });
});
