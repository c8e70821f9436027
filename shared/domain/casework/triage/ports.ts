import type { SignalStatus } from '#domain/signal/index.js';
import type { SubjectFacts, WorklistRow } from './worklist-row.js';

/** Where a worklist page ended, in its order (newest received first): the last signal read. */
export interface WorklistPosition {
  receivedAt: string;
  signalId: string;
}

/** What the worklist asks of a row beyond its region. Every condition given must hold. */
export interface WorklistFilter {
  statuses?: readonly SignalStatus[];
  province?: string;
  municipality?: string;
  /** Only signals whose follow-up date (reviewOn) is on or before this date (YYYY-MM-DD) and whose status is still open. */
  reviewDueBy?: string;
}

export interface WorklistScan {
  region: string;
  /** Received at or after this instant (ISO 8601, UTC). */
  receivedFrom?: string;
  /** Received before this instant. */
  receivedBefore?: string;
  /** Read on after this position (exclusive); from the newest when absent. */
  after?: WorklistPosition;
  filter: WorklistFilter;
  /** How many signals to read at most, before the filter: what a scan costs is bounded by it, not by what it finds. */
  evaluate: number;
}

/**
 * A region's signals newest received first, as the worklist reads them: rows of classification only, never
 * a pseudonym, a match key or encrypted text (on DynamoDB an index that projects only these fields).
 */
export interface WorklistIndex {
  /**
   * Up to `evaluate` signals read in order from `after`, of which those that match the filter (an adapter may
   * return more: the worklist checks every row again), and the position of the last one read when more may
   * follow (absent at the end).
   */
  scan(scan: WorklistScan): Promise<{ rows: WorklistRow[]; last?: WorklistPosition }>;
  /** The age band, gender and minor flag of these signals' persons: what a row lacks, and nothing else of them. */
  subjectFacts(signalIds: readonly string[]): Promise<Map<string, SubjectFacts>>;
}
