import type { AuditEntry, AuditedSignalWriter, AuditHead, SignalChange } from '#domain/casework/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import { MemoryDataKeys } from '../../../../support/in-memory-ports.js';
import { MemoryAuditLog } from '../audit/memory-audit-log.js';

/** The signals table in memory, with the store's contract: a change holds only at the version it was made on. */
export class MemorySignalStore implements SignalStore {
  readonly signals = new Map<string, StoredSignal>();

  constructor(...signals: StoredSignal[]) {
    for (const signal of signals) this.signals.set(signal.signalId, structuredClone(signal));
  }

  async putIfAbsent(signal: StoredSignal) {
    if (this.signals.has(signal.signalId)) return 'duplicate' as const;
    this.signals.set(signal.signalId, structuredClone(signal));
    return 'stored' as const;
  }

  async get(signalId: string) {
    const signal = this.signals.get(signalId);
    return signal && structuredClone(signal);
  }

  async update(signalId: string, version: number, changes: Partial<StoredSignal>, remove: readonly (keyof StoredSignal)[] = []) {
    const signal = this.signals.get(signalId);
    if (!signal || signal.version !== version) return false;
    const next: StoredSignal = { ...signal, ...structuredClone(changes), version: version + 1 };
    for (const name of remove) if (changes[name] === undefined) delete next[name];
    this.signals.set(signalId, next);
    return true;
  }
}

/**
 * The transaction in memory: the signal's change and the entry both, or neither. `beforeWrite` runs between
 * the writer's reads and its write, so a test can let another change or append in there.
 */
export class MemoryAuditedWriter implements AuditedSignalWriter {
  writes = 0;
  beforeWrite: (() => Promise<void>) | undefined;

  constructor(
    readonly store: MemorySignalStore,
    readonly log: MemoryAuditLog,
  ) {}

  head(): Promise<AuditHead> {
    return this.log.head();
  }

  async write(change: SignalChange, entry: AuditEntry, previous: AuditHead) {
    this.writes++;
    await this.beforeWrite?.();
    if (this.store.signals.get(change.signalId)?.version !== change.version) return 'signal-moved' as const;
    const head = await this.log.head();
    if (head.sequence !== previous.sequence || head.hash !== previous.hash) return 'log-moved' as const;
    await this.log.append(entry, previous);
    await this.store.update(change.signalId, change.version, change.changes, change.remove);
    return 'written' as const;
  }
}

export const KEY_HASH = 'c'.repeat(64);

/** A triage key for all of Noord-Nederland, and one bound to Drenthe. */
export const regionKey: Principal = {
  organisation: 'Ketenregisseur Noord-Nederland',
  sourceType: 'gemeente',
  scopes: ['signals:triage'],
  region: 'noord-nederland',
  keyHash: KEY_HASH,
};
export const drentheKey: Principal = { ...regionKey, organisation: 'Drieluik Drenthe', province: 'DR' };

/** Ports over the given signals, an empty log, and data keys in memory. */
export function triageWorld(...signals: StoredSignal[]) {
  const store = new MemorySignalStore(...signals);
  const log = new MemoryAuditLog();
  const writer = new MemoryAuditedWriter(store, log);
  const dataKeys = new MemoryDataKeys();
  return { store, log, writer, dataKeys, ports: { signals: store, writer, dataKeys } };
}
