import { DEFAULT_DISCLOSURE_POLICY, type DisclosurePolicy, type PublishedCount, publishCell } from './publish.js';

/** A true count and the sum of its signals' record keys, as the aggregator keeps them side by side. */
export interface CellCount {
  readonly count: number;
  readonly keySum: number;
}

export const EMPTY_CELL: CellCount = { count: 0, keySum: 0 };

/** The cell of all the given cells' signals together: counts and key sums both add up. */
export function combineCells(cells: Iterable<CellCount>): CellCount {
  let count = 0;
  let keySum = 0;
  for (const cell of cells) {
    count += cell.count;
    keySum += cell.keySum;
  }
  return { count, keySum };
}

/**
 * The public value of the total of some disjoint cells (a province over its municipalities, a year over its
 * months, 2020-2023 over its years). It is perturbed by its own cell key, exactly as the same signals are
 * wherever else they are counted together, so it equals the figure shown for them elsewhere.
 */
export function protectTotal(
  cells: Iterable<CellCount> | Readonly<Record<string, CellCount>>,
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
): PublishedCount {
  const parts = Symbol.iterator in cells ? (cells as Iterable<CellCount>) : Object.values(cells as Readonly<Record<string, CellCount>>);
  const total = combineCells(parts);
  return publishCell(total.count, total.keySum, policy);
}

/**
 * The public value of a cell inside published figures that hold it (its table's total, its row's and its
 * column's, the year a month is in): null as soon as one of them is null, zeros included; else publishCell.
 * A suppressed total says its parts add up to at most 6; four non-zero parts under it would each be pinned
 * to 1, and a 0 beside it would say where the few signals are not. So none of them is shown.
 */
export function publishWithin(cell: CellCount, containers: readonly PublishedCount[], policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): PublishedCount {
  const shown = publishCell(cell.count, cell.keySum, policy);
  return containers.includes(null) ? null : shown;
}

export interface ProtectedTable<K extends string = string> {
  cells: Record<K, PublishedCount>;
  total: PublishedCount;
}

/**
 * A one-way table and its total, each cell published on its own; the shown cells need not add up to the
 * total. Under a suppressed total every cell is suppressed, zeros included (publishWithin).
 */
export function protectTable<K extends string>(table: Readonly<Record<K, CellCount>>, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): ProtectedTable<K> {
  const entries = Object.entries<CellCount>(table);
  const total = protectTotal(Object.values<CellCount>(table), policy);
  return {
    cells: Object.fromEntries(entries.map(([key, cell]) => [key, publishWithin(cell, [total], policy)])) as Record<K, PublishedCount>,
    total,
  };
}

export interface ProtectedTwoWayTable<R extends string = string, C extends string = string> {
  cells: Record<R, Record<C, PublishedCount>>;
  rowTotals: Record<R, PublishedCount>;
  columnTotals: Record<C, PublishedCount>;
  total: PublishedCount;
}

/**
 * A two-way table (say municipality × form) with its margins and grand total, every one perturbed on its
 * own. A column a row lacks is a count of 0. A cell under a suppressed row or column total is suppressed,
 * and under a suppressed grand total every margin and cell is (publishWithin).
 */
export function protectTwoWayTable<R extends string, C extends string>(
  table: Readonly<Record<R, Readonly<Partial<Record<C, CellCount>>>>>,
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
): ProtectedTwoWayTable<R, C> {
  const rows = Object.entries<Readonly<Partial<Record<C, CellCount>>>>(table);
  const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row) as C[]))];
  const cellAt = (row: Readonly<Partial<Record<C, CellCount>>>, column: C): CellCount => (Object.hasOwn(row, column) ? (row[column] as CellCount) : EMPTY_CELL);
  const rowCells = (row: Readonly<Partial<Record<C, CellCount>>>) => columns.map((column) => cellAt(row, column));
  const columnCells = (column: C) => rows.map(([, row]) => cellAt(row, column));
  const total = protectTotal(
    rows.flatMap(([, row]) => rowCells(row)),
    policy,
  );
  const rowTotals = Object.fromEntries(rows.map(([key, row]) => [key, publishWithin(combineCells(rowCells(row)), [total], policy)])) as Record<
    R,
    PublishedCount
  >;
  const columnTotals = Object.fromEntries(columns.map((column) => [column, publishWithin(combineCells(columnCells(column)), [total], policy)])) as Record<
    C,
    PublishedCount
  >;
  return {
    cells: Object.fromEntries(
      rows.map(([key, row]) => [
        key,
        Object.fromEntries(columns.map((column) => [column, publishWithin(cellAt(row, column), [total, rowTotals[key as R], columnTotals[column]], policy)])),
      ]),
    ) as Record<R, Record<C, PublishedCount>>,
    rowTotals,
    columnTotals,
    total,
  };
}
