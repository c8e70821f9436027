import type { AuditLogStore } from '#domain/casework/audit/index.js';
import type { AuditedSignalWriter } from '#domain/casework/triage/index.js';
import type { LinkIndex } from '#domain/linking/index.js';
import type { PseudonymKeyProvider } from '#domain/privacy/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';

/** What stripping a person's signals with their audit entries needs: an erasure on request, and its finishing. */
export interface ErasureStepPorts {
  signals: SignalStore;
  links: LinkIndex;
  /** Writes a signal's stripping and its audit entry together, as the triage writes its changes: both or neither. */
  writer: AuditedSignalWriter;
  /** For an entry that goes with no change of a signal: an erasure that found nothing, or only link entries. */
  audit: AuditLogStore;
  now?: () => Date;
  /** How often to try when the signal or the log moved meanwhile; 8 unless said. */
  maxAttempts?: number;
}

/** What an erasure on request needs. */
export interface ErasurePorts extends ErasureStepPorts {
  /** The current key and the previous ones: a person is looked for under every key they may be known by. */
  pseudonymKeys: PseudonymKeyProvider;
  /** Where the erasure is kept for the signals still on their way (finishPendingErasures); none: not kept. */
  pending?: PendingErasures;
}

/**
 * An erasure kept for the signals of the person that were accepted (202) but not yet stored when it ran:
 * on the queue, or in the dead-letter queue. Only the index keys (pseudonyms: keyed hashes, never a plain
 * identifier), who asked and why, and until when.
 */
export interface PendingErasure {
  erasureId: string;
  /** The index keys the person is found under, as personIndexKeys made them. */
  keys: string[];
  /** When the erasure ran (ISO 8601): a signal received before it is the person's, one received after a new report. */
  erasedAt: string;
  organisation: string;
  keyHash: string | undefined;
  /** The erasure's audit purpose, with its reference. */
  purpose: string;
  /** Epoch seconds after which no signal of before the erasure can still arrive. */
  expiresAt: number;
}

/** The erasures still to be finished for signals in flight. */
export interface PendingErasures {
  add(pending: PendingErasure): Promise<void>;
  /** Every one held, expired ones that are not yet removed included. */
  list(): Promise<PendingErasure[]>;
  /** Nothing happens when it is not there. */
  remove(erasureId: string): Promise<void>;
}

/** What finishing the pending erasures needs. */
export interface PendingErasurePorts extends ErasureStepPorts {
  pending: PendingErasures;
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
  /** To finish the pending erasures in the same run; none: the sweep only strips by retention. */
  erasures?: PendingErasurePorts;
  now?: () => Date;
}
