import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { postalMimeParser } from '#adapters/mime/mail-parser.js';
import type { BulkClaimStore, ClaimOutcome, IntakeClaim, IntakeClaimStore, SignalBatchQueue } from '#domain/intake/index.js';
import type { MailIntakePorts } from '#domain/intake/mail/index.js';
import type { RateCounter } from '#domain/intake/web/index.js';
import type { MailSender } from '#domain/partners/index.js';
import type { DataKey, DataKeyProvider, PseudonymKey } from '#domain/privacy/index.js';
import type { SignalQueue, SignalRecord } from '#domain/signal/index.js';
import {
  type AggregationStore,
  type Application,
  type AppliedState,
  type Bookkeeping,
  type CounterDeltas,
  type CounterItem,
  type CounterItemsReader,
  type CounterReader,
  dimensionsVersionOf,
  type UncountedMarker,
} from '#domain/statistics/index.js';

/** Plain in-memory stand-ins for the ports, for unit tests of the domain only. */
export const testKey: PseudonymKey = { keyId: 'test-1', secret: Buffer.alloc(32, 7) };

export class MemoryQueue implements SignalQueue, SignalBatchQueue {
  readonly sent: SignalRecord[] = [];
  async send(record: SignalRecord) {
    this.sent.push(structuredClone(record));
  }
  async sendBatch(records: readonly SignalRecord[]) {
    for (const record of records) await this.send(record);
    return records.map(() => true);
  }
}

export class MemoryClaims implements IntakeClaimStore, BulkClaimStore {
  readonly claims = new Map<string, IntakeClaim>();
  async claim(claim: IntakeClaim): Promise<ClaimOutcome> {
    const existing = this.claims.get(claim.claimKey);
    if (existing) return { status: 'exists', signalId: existing.signalId, fingerprint: existing.fingerprint };
    this.claims.set(claim.claimKey, claim);
    return { status: 'claimed' };
  }
  async find(claimKey: string) {
    const found = this.claims.get(claimKey);
    return found && { signalId: found.signalId, fingerprint: found.fingerprint };
  }
  async claimMany(claims: readonly IntakeClaim[]) {
    return claims.map((claim): ClaimOutcome => {
      const existing = this.claims.get(claim.claimKey);
      if (existing) return { status: 'exists', signalId: existing.signalId, fingerprint: existing.fingerprint };
      this.claims.set(claim.claimKey, claim);
      return { status: 'claimed' };
    });
  }
  async findMany(claimKeys: readonly string[]) {
    const found = new Map<string, Omit<IntakeClaim, 'claimKey'>>();
    for (const claimKey of claimKeys) {
      const claim = this.claims.get(claimKey);
      if (claim) found.set(claimKey, { signalId: claim.signalId, fingerprint: claim.fingerprint });
    }
    return found;
  }
}

export class MemoryDataKeys implements DataKeyProvider {
  private readonly wrapping = randomBytes(32);
  async generateDataKey(): Promise<DataKey> {
    const plaintext = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrapping, iv);
    const wrapped = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: 'memory-1', plaintext: Buffer.from(plaintext), encrypted: Buffer.concat([iv, cipher.getAuthTag(), wrapped]) };
  }
  async decryptDataKey(_keyId: string, encrypted: Uint8Array): Promise<Uint8Array> {
    const bytes = Buffer.from(encrypted);
    const decipher = createDecipheriv('aes-256-gcm', this.wrapping, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
  }
}

/** What the applied-state condition compares: the version, and the contribution's dimensions version (null: none). */
const appliedStateTag = (state: AppliedState | undefined) =>
  state && `${state.version}/${state.contribution === null ? 'null' : dimensionsVersionOf(state.contribution)}`;

export class MemoryCounters implements AggregationStore, CounterReader, CounterItemsReader {
  readonly appliedStates = new Map<string, AppliedState>();
  readonly items = new Map<string, Record<string, number>>();
  /** As the applied item notes it: where each marked signal is marked, and which version failed. */
  readonly uncountedNotes = new Map<string, { regions: Set<string>; version: number }>();
  /** The marker items, by region, then by signal id. */
  readonly markers = new Map<string, Map<string, UncountedMarker>>();
  /** Set to make the next apply lose a race, as another writer would. */
  interfereOnce?: () => Promise<unknown>;

  async bookkeeping(signalId: string): Promise<Bookkeeping> {
    const applied = this.appliedStates.get(signalId);
    const note = this.uncountedNotes.get(signalId);
    return {
      ...(applied && { applied: structuredClone(applied) }),
      ...(note && note.regions.size > 0 && { uncounted: { regions: [...note.regions].sort(), version: note.version } }),
    };
  }

  async apply(signalId: string, previous: AppliedState | undefined, next: AppliedState, deltas: CounterDeltas, unmark: readonly string[]) {
    if (this.interfereOnce) {
      const interfere = this.interfereOnce;
      this.interfereOnce = undefined;
      await interfere();
    }
    // As the adapter's condition: the same version, and a contribution of the same dimensions version.
    if (appliedStateTag(this.appliedStates.get(signalId)) !== appliedStateTag(previous)) return false;
    this.appliedStates.set(signalId, structuredClone(next));
    for (const [key, attributes] of deltas) {
      const item = this.items.get(key) ?? {};
      for (const [name, delta] of attributes) item[name] = (item[name] ?? 0) + delta;
      this.items.set(key, item);
    }
    if (unmark.length > 0) await this.unmark(signalId, unmark);
    return true;
  }

  async bookkeepings(signalIds: readonly string[]): Promise<ReadonlyMap<string, Bookkeeping>> {
    const books = new Map<string, Bookkeeping>();
    for (const id of new Set(signalIds)) {
      const book = await this.bookkeeping(id);
      if (book.applied || book.uncounted) books.set(id, book);
    }
    return books;
  }

  /** Counts of applyAll's transactions, for tests of how it groups. */
  applyAllCalls = 0;

  /** One transaction of them all: every applied state still as expected, or nothing applied. */
  async applyAll(applications: readonly Application[]): Promise<ReadonlySet<string>> {
    this.applyAllCalls++;
    if (this.interfereOnce) {
      const interfere = this.interfereOnce;
      this.interfereOnce = undefined;
      await interfere();
    }
    if (applications.some((a) => appliedStateTag(this.appliedStates.get(a.signalId)) !== appliedStateTag(a.previous))) {
      return new Set(applications.map((a) => a.signalId));
    }
    for (const a of applications) await this.apply(a.signalId, a.previous, a.next, a.deltas, []);
    return new Set();
  }

  async markUncounted(regions: readonly string[], version: number, marker: UncountedMarker) {
    const note = this.uncountedNotes.get(marker.signalId) ?? { regions: new Set<string>(), version };
    for (const region of regions) {
      note.regions.add(region);
      const item = this.markers.get(region) ?? new Map<string, UncountedMarker>();
      item.set(marker.signalId, structuredClone(marker));
      this.markers.set(region, item);
    }
    note.version = version;
    this.uncountedNotes.set(marker.signalId, note);
  }

  async unmark(signalId: string, regions: readonly string[]) {
    const note = this.uncountedNotes.get(signalId);
    for (const region of regions) {
      note?.regions.delete(region);
      this.markers.get(region)?.delete(signalId);
    }
    if (note?.regions.size === 0) this.uncountedNotes.delete(signalId);
    else if (note) note.version = 0;
  }

  async read(key: string, region: string) {
    return { counts: this.counts(key), uncounted: [...(this.markers.get(region)?.values() ?? [])] };
  }

  /** The items that exist and the region's markers; an `updatedAt` a test sets (ms since the epoch) is read as the adapter reads it. */
  async readItems(keys: readonly string[], region: string) {
    const items = new Map<string, CounterItem>();
    for (const key of keys) {
      const stored = this.items.get(key);
      if (!stored) continue;
      const { updatedAt, ...counts } = stored;
      items.set(key, { counts, ...(updatedAt !== undefined && { updatedAt: new Date(updatedAt).toISOString() }) });
    }
    return { items, uncounted: [...(this.markers.get(region)?.values() ?? [])] };
  }

  /** One counter item's counts. */
  counts(key: string): Record<string, number> {
    return { ...this.items.get(key) };
  }
}

/** The intake's ports in memory: a queue to read back, claims, the test key and data keys. */
export function memoryIntakePorts() {
  const queue = new MemoryQueue();
  return { queue, claims: new MemoryClaims(), pseudonymKeys: { current: async () => testKey }, dataKeys: new MemoryDataKeys() };
}

/** The e-mail intake's ports in memory, with sender entries by entry key. */
export function memoryMailIntakePorts(senders: Record<string, MailSender> = {}) {
  const base = memoryIntakePorts();
  const intake: MailIntakePorts = { ...base, senders: { get: async (key) => senders[key] }, parser: postalMimeParser };
  return { queue: base.queue, intake };
}

export class MemoryRateCounter implements RateCounter {
  readonly counts = new Map<string, number>();
  async increment(key: string) {
    const next = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, next);
    return next;
  }
  async read(key: string) {
    return this.counts.get(key) ?? 0;
  }
}
