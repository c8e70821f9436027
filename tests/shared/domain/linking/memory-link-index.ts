import type { IndexedSignal, LinkEntry, LinkIndex } from '#domain/linking/index.js';

/** The link index in memory, ordered as the table orders it: by day observed, then signal id. */
export class MemoryLinkIndex implements LinkIndex {
  readonly byKey = new Map<string, Map<string, LinkEntry>>();
  readonly own = new Map<string, IndexedSignal>();

  async noteKeys(signal: IndexedSignal) {
    const existing = this.own.get(signal.signalId);
    const keys = [...new Set([...(existing?.keys ?? []), ...signal.keys])].sort();
    this.own.set(signal.signalId, { ...(existing ?? structuredClone(signal)), keys });
  }

  async put(key: string, entry: LinkEntry) {
    const entries = this.byKey.get(key) ?? new Map<string, LinkEntry>();
    if (!entries.has(entry.signalId)) entries.set(entry.signalId, structuredClone(entry));
    this.byKey.set(key, entries);
  }

  async indexed(signalId: string) {
    const found = this.own.get(signalId);
    return found && structuredClone(found);
  }

  async observedThrough(key: string, date: string, limit: number) {
    const sortKey = (e: LinkEntry) => `${e.observedAt}#${e.signalId}`;
    const entries = [...(this.byKey.get(key)?.values() ?? [])].filter((e) => e.observedAt <= date).sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
    return { entries: entries.slice(0, limit).map((e) => structuredClone(e)), more: entries.length > limit };
  }

  async remove(key: string, entry: Pick<LinkEntry, 'signalId' | 'observedAt'>) {
    const entries = this.byKey.get(key);
    entries?.delete(entry.signalId);
    if (entries?.size === 0) this.byKey.delete(key);
  }

  async forget(signalId: string) {
    this.own.delete(signalId);
  }

  /** The keys a signal is under, as the table would list them. */
  keysHolding(signalId: string): string[] {
    return [...this.byKey.entries()].filter(([, entries]) => entries.has(signalId)).map(([key]) => key);
  }
}
