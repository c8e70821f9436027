import type { CellCount } from './tables.js';

/**
 * Fewest signals that must have changed between two releases. Two releases a single signal apart would
 * show, cell by cell, where that signal went; five mixed together leave several ways to place each one.
 */
export const MIN_CHANGED_SIGNALS = 5;

/** PUBLIC_RELEASE_INTERVAL's default: at most one release a day. */
export const DEFAULT_RELEASE_INTERVAL_MS = 24 * 60 * 60 * 1000;

export interface Release {
  releasedAt: Date;
  /** The change counter's value when this release was made. */
  signalsAtRelease: number;
}

export interface ReleaseDecision {
  release: boolean;
  /** The earliest moment a release after this decision can be made (if enough signals change by then). */
  nextPossibleAt: Date;
}

/**
 * Whether the public figures may be refreshed now. `changes` is the change counter's current value: a
 * monotone count of every signal counted, corrected or withdrawn. A release needs `intervalMs` since the
 * previous one (0: no wait) and at least MIN_CHANGED_SIGNALS changes since it. The first release is measured
 * against an empty one at counter 0, so it too needs five signals.
 */
export function nextRelease(previous: Release | undefined, now: Date, changes: number, intervalMs: number): ReleaseDecision {
  if (!Number.isSafeInteger(intervalMs) || intervalMs < 0) throw new RangeError(`a release interval is a whole number of ms ≥ 0, not ${intervalMs}`);
  const base = previous?.signalsAtRelease ?? 0;
  if (!Number.isSafeInteger(changes) || changes < base) throw new RangeError(`the change counter went from ${base} to ${changes}; it only grows`);
  const earliest = previous ? previous.releasedAt.getTime() + intervalMs : Number.NEGATIVE_INFINITY;
  const release = now.getTime() >= earliest && changes - base >= MIN_CHANGED_SIGNALS;
  return {
    release,
    nextPossibleAt: new Date(release ? now.getTime() + intervalMs : Math.max(earliest, now.getTime())),
  };
}

/** One value of one dimension in two snapshots: the count and key sum of its signals before and after. */
export interface CellChange {
  readonly dimension: string;
  readonly value: string;
  readonly before: CellCount;
  readonly after: CellCount;
}

export interface ChangeSummary {
  /**
   * The fewest signals that explain the difference: in each dimension, the signals that came into its
   * values and those that left them (a count that stayed while its key sum moved had one of each).
   */
  signals: number;
  /** Signals came, and all of them share one value in each describing dimension: one cell of every table. */
  homogeneous: boolean;
}

const keyMoved = (cell: CellChange) => cell.after.count === cell.before.count && cell.after.keySum !== cell.before.keySum;

/**
 * What a release would show of the signals changed since the previous one, from the two snapshots' cells.
 * The change counter counts events (a signal corrected five times is five); this counts the signals the
 * figures move, and whether those that came all share one description (`describing`: the dimensions a
 * cross table shows together, such as municipality, form and month).
 */
export function changeBetween(cells: Iterable<CellChange>, describing: readonly string[]): ChangeSummary {
  const came = new Map<string, number>();
  const left = new Map<string, number>();
  const arrivedIn = new Map<string, Set<string>>();
  for (const cell of cells) {
    const delta = cell.after.count - cell.before.count;
    const arrived = delta > 0 ? delta : keyMoved(cell) ? 1 : 0;
    const departed = delta < 0 ? -delta : keyMoved(cell) ? 1 : 0;
    came.set(cell.dimension, (came.get(cell.dimension) ?? 0) + arrived);
    left.set(cell.dimension, (left.get(cell.dimension) ?? 0) + departed);
    if (arrived > 0) arrivedIn.set(cell.dimension, (arrivedIn.get(cell.dimension) ?? new Set()).add(cell.value));
  }
  const signals = Math.max(0, ...came.values(), ...left.values());
  const anyArrived = [...came.values()].some((n) => n > 0);
  return { signals, homogeneous: anyArrived && describing.every((dimension) => (arrivedIn.get(dimension)?.size ?? 0) <= 1) };
}

/**
 * Whether the change since the previous release may be published: at least MIN_CHANGED_SIGNALS signals
 * (not events), and the signals that came not all in one cell. Five signals that share municipality, form
 * and month would each be found in that cell by anyone who knows that five came; the release waits until
 * one comes that differs (docs/disclosure.md, "Differencing between releases").
 */
export const releasableChange = (change: ChangeSummary): boolean => change.signals >= MIN_CHANGED_SIGNALS && !change.homogeneous;
