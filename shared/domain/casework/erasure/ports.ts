import type { AuditLogStore } from '#domain/casework/audit/index.js';
import type { AuditedSignalWriter } from '#domain/casework/triage/index.js';
import type { LinkIndex } from '#domain/linking/index.js';
import type { PseudonymKeyProvider } from '#domain/privacy/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';

/** What an erasure on request needs. */
export interface ErasurePorts {
  signals: SignalStore;
  links: LinkIndex;
  /** The current key and the previous ones: a person is looked for under every key they may be known by. */
  pseudonymKeys: PseudonymKeyProvider;
  /** Writes a signal's stripping and its audit entry together, as the triage writes its changes: both or neither. */
  writer: AuditedSignalWriter;
  /** For an entry that goes with no change of a signal: an erasure that found nothing, or only link entries. */
  audit: AuditLogStore;
  now?: () => Date;
  /** How often to try when the signal or the log moved meanwhile; 8 unless said. */
  maxAttempts?: number;
}

/** Signals whose retention may have passed, read page by page (a scan: see docs/deploying.md#retention). */
export interface RetentionCandidates {
  /**
   * Signals last changed (else received) before `cutoff` (ISO 8601) and not stripped since, and every signal
   * that still carries a whole-item expiry. A superset: the sweep decides on each.
   */
  pages(cutoff: string): AsyncIterable<StoredSignal[]>;
}

/** What the retention sweep needs. */
export interface RetentionPorts {
  signals: SignalStore;
  links: LinkIndex;
  candidates: RetentionCandidates;
  now?: () => Date;
}
