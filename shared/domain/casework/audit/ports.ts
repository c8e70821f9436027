import type { AuditEntry, AuditHead } from './entry.js';

/** The log as appendAudit writes it: the only way an entry gets in. */
export interface AuditLogStore {
  /** Where the log stands now, read strongly consistently. */
  head(): Promise<AuditHead>;
  /**
   * Writes `entry` (sequence previous.sequence + 1) and moves the head to it, as one atomic step, provided
   * the head is still `previous` and no entry holds that sequence yet; false when another append came first.
   */
  append(entry: AuditEntry, previous: AuditHead): Promise<boolean>;
}

/** The log as GET /v1/audit and `npm run audit -- verify` read it. */
export interface AuditLogReader {
  head(): Promise<AuditHead>;
  /** Up to `limit` entries with a sequence above `after`, in order of sequence. */
  entriesAfter(after: number, limit: number): Promise<AuditEntry[]>;
  /** Up to `limit` entries about one signal with a sequence above `after`, in order of sequence. */
  signalEntriesAfter(signalId: string, after: number, limit: number): Promise<AuditEntry[]>;
  /** The sequence of the first entry made at or after `at` (ISO 8601, UTC); undefined when there is none. */
  firstSequenceFrom(at: string): Promise<number | undefined>;
}
