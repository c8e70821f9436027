import { type AuditFigure, publishAudited, type SumRelation } from './audit.js';
import { DEFAULT_DISCLOSURE_POLICY, type DisclosurePolicy, type PublishedCount, publishCell } from './publish.js';
import { zeroKeyOf } from './zero-key.js';

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
 * total. Under a suppressed total every cell is suppressed, zeros included (publishWithin); a 0 is null on
 * some keys (zeroKeyOf, labelled by its key in the table); and the audit (audit.ts) shows a 5 or 6 that
 * the rest would pin down anyway.
 */
export function protectTable<K extends string>(table: Readonly<Record<K, CellCount>>, policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY): ProtectedTable<K> {
  const entries = Object.entries<CellCount>(table);
  const total = combineCells(entries.map(([, cell]) => cell));
  const relation = [total, ...entries.map(([, cell]) => cell)];
  const figures: AuditFigure[] = [total, ...entries.map(([key, cell]) => ({ ...cell, within: [0], tablePart: true, zeroKey: zeroKeyOf(key, relation) }))];
  const { published } = publishAudited(figures, [{ total: 0, parts: entries.map((_, i) => i + 1) }], policy);
  return {
    cells: Object.fromEntries(entries.map(([key], i) => [key, published[i + 1]!])) as Record<K, PublishedCount>,
    total: published[0]!,
  };
}

export interface ProtectedTwoWayTable<R extends string = string, C extends string = string> {
  cells: Record<R, Record<C, PublishedCount>>;
  rowTotals: Record<R, PublishedCount>;
  columnTotals: Record<C, PublishedCount>;
  total: PublishedCount;
  /**
   * Set when the audit could not clear a cross of rows and columns that pins a small count (never seen in
   * the tests): then every cell is null, small or not, and only the margins and the total are figures.
   */
  withheld?: true;
}

/**
 * A two-way table (say municipality × form) with its margins and grand total, every one perturbed on its
 * own. A column a row lacks is a count of 0. A cell under a suppressed row or column total is suppressed,
 * and under a suppressed grand total every margin and cell is (publishWithin); a 0 is null on some keys
 * (a cell's by its row, as the one-way table of that row labels it); and the whole is audited (audit.ts).
 */
export function protectTwoWayTable<R extends string, C extends string>(
  table: Readonly<Record<R, Readonly<Partial<Record<C, CellCount>>>>>,
  policy: DisclosurePolicy = DEFAULT_DISCLOSURE_POLICY,
): ProtectedTwoWayTable<R, C> {
  const rows = Object.entries<Readonly<Partial<Record<C, CellCount>>>>(table);
  const columns = [...new Set(rows.flatMap(([, row]) => Object.keys(row) as C[]))];
  const cellAt = (row: Readonly<Partial<Record<C, CellCount>>>, column: C): CellCount => (Object.hasOwn(row, column) ? (row[column] as CellCount) : EMPTY_CELL);
  const rowCells = rows.map(([, row]) => columns.map((column) => cellAt(row, column)));
  const rowSums = rowCells.map(combineCells);
  const columnSums = columns.map((_, c) => combineCells(rowCells.map((cells) => cells[c]!)));
  const total = combineCells(rowSums);

  // Figures in order: the total, the row totals, the column totals, then the cells row by row.
  const rowAt = (r: number) => 1 + r;
  const columnAt = (c: number) => 1 + rows.length + c;
  const cellIndex = (r: number, c: number) => 1 + rows.length + columns.length + r * columns.length + c;
  const figures: AuditFigure[] = [
    total,
    ...rows.map(([key], r) => ({ ...rowSums[r]!, within: [0], tablePart: true, zeroKey: zeroKeyOf(key, [total, ...rowSums]) })),
    ...columns.map((key, c) => ({ ...columnSums[c]!, within: [0], tablePart: true, zeroKey: zeroKeyOf(key, [total, ...columnSums]) })),
    ...rowCells.flatMap((cells, r) =>
      cells.map((cell, c) => ({
        ...cell,
        within: [0, rowAt(r), columnAt(c)],
        tablePart: true,
        zeroKey: zeroKeyOf(columns[c]!, [rowSums[r]!, ...cells]),
      })),
    ),
  ];
  const relations: SumRelation[] = [
    { total: 0, parts: rows.map((_, r) => rowAt(r)) },
    { total: 0, parts: columns.map((_, c) => columnAt(c)) },
    ...rows.map((_, r) => ({ total: rowAt(r), parts: columns.map((_, c) => cellIndex(r, c)) })),
    ...columns.map((_, c) => ({ total: columnAt(c), parts: rows.map((_, r) => cellIndex(r, c)) })),
  ];
  const { published, withheld } = publishAudited(figures, relations, policy);
  return {
    cells: Object.fromEntries(
      rows.map(([key], r) => [key, Object.fromEntries(columns.map((column, c) => [column, withheld ? null : published[cellIndex(r, c)]!]))]),
    ) as Record<R, Record<C, PublishedCount>>,
    rowTotals: Object.fromEntries(rows.map(([key], r) => [key, published[rowAt(r)]!])) as Record<R, PublishedCount>,
    columnTotals: Object.fromEntries(columns.map((column, c) => [column, published[columnAt(c)]!])) as Record<C, PublishedCount>,
    total: published[0]!,
    ...(withheld && { withheld: true as const }),
  };
}
