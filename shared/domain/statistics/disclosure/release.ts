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
