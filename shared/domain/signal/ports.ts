import type { SignalRecord, StoredSignal } from './record.js';

export interface SignalQueue {
  send(record: SignalRecord): Promise<void>;
}

export interface SignalStore {
  /** Stores the signal unless one with its id is there already; says which. */
  putIfAbsent(signal: StoredSignal): Promise<'stored' | 'duplicate'>;
  get(signalId: string): Promise<StoredSignal | undefined>;
  /** Sets the changes and raises the version, provided the signal is still at `version`; false otherwise. */
  update(signalId: string, version: number, changes: Partial<StoredSignal>): Promise<boolean>;
}
