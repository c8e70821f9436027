import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type CellCount,
  DEFAULT_DISCLOSURE_POLICY,
  largestSuppressedCount,
  type PublishedCount,
  protectTable,
  protectTotal,
  protectTwoWayTable,
  publishCell,
  recordKeyOf,
} from '#domain/statistics/disclosure/index.js';

const policy = DEFAULT_DISCLOSURE_POLICY;

/**
 * What every published figure must be, given the true count behind it and whether a figure that holds it
 * is suppressed: then it is suppressed too. A number is never 1 to 4 and within the noise of the count; a
 * null stands for at most 6, so the label "<7" is true of it.
 */
function expectSafe(shown: PublishedCount, count: number, insideSuppressed = false) {
  if (shown === null) expect(count).toBeLessThanOrEqual(largestSuppressedCount(policy));
  if (insideSuppressed) expect(shown).toBeNull();
  else if (count === 0) expect(shown).toBe(0);
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
        expectSafe(shown.total, total);
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
