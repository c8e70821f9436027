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

export interface ProtectedTable<K extends string = string> {
  cells: Record<K, PublishedCount>;
  total: PublishedCount;
}

/** A one-way table and its total, each cell published on its own; the shown cells need not add up to the total. */
export function protectTable<K extends string>(table: Readonly<Record<K, CellCount>>, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): ProtectedTable<K> {
  const entries = Object.entries<CellCount>(table);
  return {
    cells: Object.fromEntries(entries.map(([key, cell]) => [key, publishCell(cell.count, cell.keySum, policy)])) as Record<K, PublishedCount>,
    total: protectTotal(Object.values<CellCount>(table), policy),
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
 * own. A column a row lacks is a count of 0 and is shown as 0.
 */
export function protectTwoWayTable<R extends string, C extends string>(
  table: Readonly<Record<R, Readonly<Partial<Record<C, CellCount>>>>>,
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
): ProtectedTwoWayTable<R, C> {
  const rows = Object.entries<Readonly<Partial<Record<C, CellCount>>>>(table);
  const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row) as C[]))];
  const cellAt = (row: Readonly<Partial<Record<C, CellCount>>>, column: C): CellCount => (Object.hasOwn(row, column) ? (row[column] as CellCount) : EMPTY_CELL);
  const publish = (cell: CellCount) => publishCell(cell.count, cell.keySum, policy);
  const totalOf = (cells: CellCount[]) => protectTotal(cells, policy);
  const rowCells = (row: Readonly<Partial<Record<C, CellCount>>>) => columns.map((column) => cellAt(row, column));
  const columnCells = (column: C) => rows.map(([, row]) => cellAt(row, column));
  return {
    cells: Object.fromEntries(rows.map(([key, row]) => [key, Object.fromEntries(columns.map((column) => [column, publish(cellAt(row, column))]))])) as Record<
      R,
      Record<C, PublishedCount>
    >,
    rowTotals: Object.fromEntries(rows.map(([key, row]) => [key, totalOf(rowCells(row))])) as Record<R, PublishedCount>,
    columnTotals: Object.fromEntries(columns.map((column) => [column, totalOf(columnCells(column))])) as Record<C, PublishedCount>,
    total: totalOf(rows.flatMap(([, row]) => rowCells(row))),
  };
}
