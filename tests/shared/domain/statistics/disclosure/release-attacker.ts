import {
  type AuditFigure,
  type CellChange,
  type CellCount,
  changeBetween,
  combineCells,
  DEFAULT_DISCLOSURE_POLICY,
  type PublishedCount,
  publishAudited,
  recordKeyOf,
  zeroKeyOf,
} from '#domain/statistics/disclosure/index.js';
import { type Constraint, candidatesFor, someTable } from './attacker.js';

/**
 * The attacker between releases: two releases of one small table, and someone who knows exactly how many
 * signals came between them. Shared by attack-releases.test.ts and properties.test.ts.
 */

const policy = DEFAULT_DISCLOSURE_POLICY;

// Eight atoms: 2 municipalities × 2 forms × 2 months. Each release shows every atom and every margin.
export const CELLS = [0, 1, 2, 3, 4, 5, 6, 7];
const GROUPS: number[][] = [
  ...CELLS.map((c) => [c]),
  ...[0, 1].flatMap((bit) => [2, 1, 0].map((shift) => CELLS.filter((c) => ((c >> shift) & 1) === bit))),
  [...CELLS],
];

/** The groups that hold a group (its containers), as the public route passes them to publishWithin. */
const CONTAINERS = GROUPS.map((group) => GROUPS.flatMap((other, o) => (other.length > group.length && group.every((c) => other.includes(c)) ? [o] : [])));

/**
 * A release as the public route shows it (publishAudited): each group inside the groups that hold it, a 0
 * hidden on some keys, and the sums between them audited: the total and each half (a municipality, a form,
 * a month) over their cells, the total over each pair of halves.
 */
export function publish(atoms: readonly CellCount[]): PublishedCount[] {
  const order = GROUPS.map((_, g) => g).sort((a, b) => GROUPS[b]!.length - GROUPS[a]!.length);
  const position = new Map(order.map((g, i) => [g, i]));
  const cells = GROUPS.map((group) => combineCells(group.map((c) => atoms[c]!)));
  const total = order[0]!;
  const figures: AuditFigure[] = order.map((g) => ({
    ...cells[g]!,
    within: CONTAINERS[g]!.map((o) => position.get(o)!),
    ...(g !== total && {
      tablePart: true,
      zeroKey: zeroKeyOf(`group${g}`, [cells[total]!, ...cells.filter((_, o) => GROUPS[o]!.length === GROUPS[g]!.length)]),
    }),
  }));
  const sumOf = (g: number, parts: number[]) => ({ total: position.get(g)!, parts: parts.map((p) => position.get(p)!) });
  const halves = GROUPS.flatMap((group, g) => (group.length === 4 ? [g] : []));
  const relations = [
    ...[total, ...halves].map((g) =>
      sumOf(
        g,
        GROUPS.flatMap((group, o) => (group.length === 1 && GROUPS[g]!.includes(group[0]!) ? [o] : [])),
      ),
    ),
    ...[0, 1, 2].map((shift) =>
      sumOf(
        total,
        halves.filter((h) => [0, 1].some((bit) => GROUPS[h]!.every((c) => ((c >> shift) & 1) === bit))),
      ),
    ),
  ];
  const { published } = publishAudited(figures, relations, policy);
  return GROUPS.map((_, g) => published[position.get(g)!]!);
}

/** What releasableChange sees of two releases' atoms: each municipality, form and month before and after. */
export function changeOf(before: readonly CellCount[], after: readonly CellCount[]) {
  const cells: CellChange[] = ['municipality', 'form', 'month'].flatMap((dimension, d) =>
    [0, 1].map((bit) => {
      const inIt = CELLS.filter((c) => ((c >> (2 - d)) & 1) === bit);
      return { dimension, value: String(bit), before: combineCells(inIt.map((c) => before[c]!)), after: combineCells(inIt.map((c) => after[c]!)) };
    }),
  );
  return changeBetween(cells, ['municipality', 'form', 'month']);
}

const insideSuppressed = (shown: readonly PublishedCount[], g: number) => CONTAINERS[g]!.some((o) => shown[o] === null);

/** A release a few signals after `before`: each new signal, with a record key of its own, lands in the given cell. */
export function withNewSignals(before: readonly CellCount[], cells: readonly number[], seed: number): CellCount[] {
  const after = before.map((cell) => ({ ...cell }));
  cells.forEach((cell, i) => {
    after[cell]!.count += 1;
    after[cell]!.keySum += recordKeyOf(`new-${seed}-${i}`);
  });
  return after;
}

/** Every way to put `n` anonymous new signals in the eight cells, as how many land in each cell. */
function placements(n: number, from = 0): number[][] {
  if (from === CELLS.length - 1) return [[...new Array(from).fill(0), n]];
  return Array.from({ length: n + 1 }, (_, k) => placements(n - k, from + 1).map((rest) => rest.map((v, i) => (i === from ? k : v)))).flat();
}

/**
 * The attacker compares the two releases, knowing exactly how many signals were added (more than the public
 * can know), the p-table, and that a figure whose signals did not change cannot change. A placement of the
 * new signals is consistent when some true first release fits both releases with it.
 */
export function consistentPlacements(first: readonly PublishedCount[], second: readonly PublishedCount[], added: number): number[][] {
  return placements(added).filter((delta) => {
    const constraints: Constraint[] = [];
    for (const [g, group] of GROUPS.entries()) {
      const grew = group.reduce((sum, c) => sum + delta[c]!, 0);
      // Unchanged signals keep their number. A null may come or go all the same: inside a figure suppressed in
      // one release and not the other, a 0 hidden on a key that moved with the signals around it, a 5 or 6
      // that the audit shows in one release only; candidatesFor allows for each.
      if (grew === 0 && first[g] !== null && second[g] !== null && first[g] !== second[g]) return false;
      const after = new Set(candidatesFor(second[g]!, policy, insideSuppressed(second, g)));
      const allowed = new Set(candidatesFor(first[g]!, policy, insideSuppressed(first, g)).filter((before) => after.has(before + grew)));
      if (allowed.size === 0) return false;
      constraints.push({ atoms: group, allowed });
    }
    return someTable(CELLS.length, constraints);
  });
}

/** The cells a single one of the new signals could be in, over every consistent placement. */
export const cellsOfOneSignal = (consistent: number[][]) => CELLS.filter((c) => consistent.some((delta) => delta[c]! > 0));
