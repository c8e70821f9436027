import type { SignalRecord, StoredSignal } from './record.js';

export interface SignalQueue {
  send(record: SignalRecord): Promise<void>;
}

export interface SignalStore {
  /** Stores the signal unless one with its id is there already; says which. */
  putIfAbsent(signal: StoredSignal): Promise<'stored' | 'duplicate'>;
  get(signalId: string): Promise<StoredSignal | undefined>;
  /**
   * Sets the changes, removes the attributes named in `remove` (a field that no longer applies, such as a
   * superseded follow-up date) and raises the version, provided the signal is still at `version`; false otherwise.
   */
  update(signalId: string, version: number, changes: Partial<StoredSignal>, remove?: readonly (keyof StoredSignal)[]): Promise<boolean>;
}
