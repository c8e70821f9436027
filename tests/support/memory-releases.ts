import type { StoredSignal } from '#domain/signal/index.js';
import { type ChangeCounter, type CounterItem, contributionOf, counterDeltas, type PublicRelease, type ReleaseStore } from '#domain/statistics/index.js';

/**
 * The statistics table as the release function and the public route see it, in memory: live counter items
 * (counts and `k:` key sums), the change counter, the markers' number and the releases.
 */
export class MemoryReleases implements ReleaseStore {
  readonly live = new Map<string, Record<string, number>>();
  counter: ChangeCounter = { changes: 0, writes: 0 };
  uncounted = 0;
  readonly releases = new Map<string, Map<string, CounterItem>>();
  pointer: PublicRelease | undefined;
  /** Called between the two reads of the change counter around a snapshot: a test counts a signal there. */
  duringSnapshot?: () => void;
  readonly calls = { readReleased: 0, latest: 0 };

  /** Counts a signal as the aggregator does: its attributes and their key sums, and the change counter. */
  count(counterKey: string, attributes: readonly string[], recordKey: number, sign: 1 | -1 = 1): void {
    const item = this.live.get(counterKey) ?? {};
    for (const attribute of attributes) {
      item[attribute] = (item[attribute] ?? 0) + sign;
      item[`k:${attribute}`] = (item[`k:${attribute}`] ?? 0) + sign * recordKey;
    }
    this.live.set(counterKey, item);
    this.counter = { changes: this.counter.changes + 1, writes: this.counter.writes + 1 };
  }

  /** Counts (or withdraws: `from` → null) a stored signal as the aggregator would, and adds to the change counter. */
  countSignal(signal: StoredSignal, from: StoredSignal | null = null): void {
    const deltas = counterDeltas(from && contributionOf(from), contributionOf(signal));
    for (const [key, attributes] of deltas) {
      const item = this.live.get(key) ?? {};
      for (const [attribute, delta] of attributes) item[attribute] = (item[attribute] ?? 0) + delta;
      this.live.set(key, item);
    }
    if (deltas.size > 0) this.counter = { changes: this.counter.changes + 1, writes: this.counter.writes + 1 };
  }

  async latest(): Promise<PublicRelease | undefined> {
    this.calls.latest++;
    return this.pointer && { ...this.pointer };
  }

  async readReleased(_region: string, releaseId: string, counterKeys: readonly string[]): Promise<ReadonlyMap<string, CounterItem>> {
    this.calls.readReleased++;
    const release = this.releases.get(releaseId) ?? new Map<string, CounterItem>();
    return new Map(counterKeys.flatMap((key) => (release.has(key) ? [[key, structuredClone(release.get(key)!)] as const] : [])));
  }

  async changeCounter(): Promise<ChangeCounter> {
    return { ...this.counter };
  }

  async readLive(_region: string, counterKeys: readonly string[]) {
    const items = new Map(counterKeys.flatMap((key) => (this.live.has(key) ? [[key, { counts: { ...this.live.get(key)! } }] as const] : [])));
    this.duringSnapshot?.();
    return { items, uncounted: this.uncounted };
  }

  async publish(_region: string, release: PublicRelease, items: ReadonlyMap<string, CounterItem>, previous: PublicRelease | undefined): Promise<boolean> {
    if (this.pointer?.releaseId !== previous?.releaseId) return false;
    this.releases.set(release.releaseId, new Map([...items].map(([key, item]) => [key, structuredClone(item)])));
    this.pointer = { ...release };
    return true;
  }
}
