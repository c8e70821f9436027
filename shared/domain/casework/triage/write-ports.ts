import type { DataKeyProvider } from '#domain/privacy/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import type { AuditEntry, AuditHead } from '../audit/index.js';

/** One change of a signal, as SignalStore.update takes it: set `changes`, remove `remove`, raise the version from `version`. */
export interface SignalChange {
  signalId: string;
  version: number;
  changes: Partial<StoredSignal>;
  remove?: readonly (keyof StoredSignal)[];
}

/**
 * Writes a triage change together with its audit entry, atomically: both or neither. The change is made as
 * SignalStore.update makes it (the version raised, so the aggregator moves the counts), the entry as the
 * audit log appends it (chained onto `previous`). `signal-moved` when the signal is no longer at the
 * change's version, `log-moved` when another append moved the head first.
 */
export interface AuditedSignalWriter {
  /** Where the audit log stands now, read strongly consistently. */
  head(): Promise<AuditHead>;
  write(change: SignalChange, entry: AuditEntry, previous: AuditHead): Promise<'written' | 'signal-moved' | 'log-moved'>;
}

/** What enrichment and decisions need: the signals to read, the writer, and (for a decision's note) making data keys. */
export interface TriageWritePorts {
  signals: SignalStore;
  writer: AuditedSignalWriter;
  dataKeys?: DataKeyProvider;
  now?: () => Date;
  newId?: () => string;
  /** How often to try when the signal or the log moved meanwhile; 8 unless said. */
  maxAttempts?: number;
}
