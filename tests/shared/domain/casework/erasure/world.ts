import type { AuditEntry, AuditHead } from '#domain/casework/audit/index.js';
import type {
  ErasurePorts,
  PendingErasure,
  PendingErasurePorts,
  PendingErasures,
  RetentionCandidates,
  RetentionPorts,
} from '#domain/casework/erasure/index.js';
import type { AuditedSignalWriter, SignalChange } from '#domain/casework/triage/index.js';
import { acceptSignal, type IntakePorts } from '#domain/intake/index.js';
import { linkSignal } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { PseudonymKey } from '#domain/privacy/index.js';
import { SignalInputSchema, type SignalRecord, type SignalStore, type StoredSignal, storeSignal } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../../support/in-memory-ports.js';
import { MemoryLinkIndex } from '../../linking/memory-link-index.js';
import { MemoryAuditLog } from '../audit/memory-audit-log.js';

/** The signals table in memory, with the store's contract: a change holds only at the version read. */
export class MemorySignals implements SignalStore {
  readonly items = new Map<string, StoredSignal>();
  /** Runs before a change is checked: a test lets another change in there. */
  beforeUpdate: (() => Promise<void>) | undefined;

  async putIfAbsent(signal: StoredSignal) {
    if (this.items.has(signal.signalId)) return 'duplicate' as const;
    this.items.set(signal.signalId, structuredClone(signal));
    return 'stored' as const;
  }

  async get(signalId: string) {
    const found = this.items.get(signalId);
    return found && structuredClone(found);
  }

  async update(signalId: string, version: number, changes: Partial<StoredSignal>, remove: readonly (keyof StoredSignal)[] = []) {
    const hook = this.beforeUpdate;
    this.beforeUpdate = undefined;
    await hook?.();
    const signal = this.items.get(signalId);
    if (!signal || signal.version !== version) return false;
    const next: StoredSignal = { ...signal, version: version + 1 };
    for (const [name, value] of Object.entries(changes)) if (value !== undefined) (next as unknown as Record<string, unknown>)[name] = structuredClone(value);
    for (const name of remove) if (changes[name] === undefined) delete next[name];
    this.items.set(signalId, next);
    return true;
  }
}

/** The atomic signal-and-entry writer in memory: both or neither. */
export class MemoryWriter implements AuditedSignalWriter {
  writes = 0;
  /** Runs once before the next write is checked: a test lets another change in there. */
  beforeWrite: (() => Promise<void>) | undefined;
  constructor(
    private readonly signals: MemorySignals,
    private readonly log: MemoryAuditLog,
  ) {}

  head(): Promise<AuditHead> {
    return this.log.head();
  }

  async write(change: SignalChange, entry: AuditEntry, previous: AuditHead) {
    const hook = this.beforeWrite;
    this.beforeWrite = undefined;
    await hook?.();
    const signal = this.signals.items.get(change.signalId);
    if (!signal || signal.version !== change.version) return 'signal-moved' as const;
    const head = await this.log.head();
    if (head.sequence !== previous.sequence || head.hash !== previous.hash) return 'log-moved' as const;
    await this.signals.update(change.signalId, change.version, change.changes, change.remove);
    await this.log.append(entry, previous);
    this.writes++;
    return 'written' as const;
  }
}

/** The candidates as the adapter's filter reads them, a few per page. */
export class MemoryCandidates implements RetentionCandidates {
  constructor(
    private readonly signals: MemorySignals,
    private readonly pageSize = 2,
  ) {}

  async *pages(cutoff: string): AsyncIterable<StoredSignal[]> {
    const all = [...this.signals.items.values()].filter((s) => {
      const start = s.changedAt ?? s.receivedAt;
      const stripped = s.erasedAt !== undefined && !(s.changedAt !== undefined && s.erasedAt < s.changedAt);
      return s.expiresAt !== undefined || (!stripped && start < cutoff);
    });
    for (let i = 0; i < all.length; i += this.pageSize) yield structuredClone(all.slice(i, i + this.pageSize));
  }
}

/** The pending erasures in memory. */
export class MemoryPendingErasures implements PendingErasures {
  readonly items = new Map<string, PendingErasure>();

  async add(pending: PendingErasure) {
    this.items.set(pending.erasureId, structuredClone(pending));
  }

  async list() {
    return [...this.items.values()].map((pending) => structuredClone(pending));
  }

  async remove(erasureId: string) {
    this.items.delete(erasureId);
  }
}

export const privacyOfficer: Principal = {
  organisation: 'Privacyfunctionaris Noord-Nederland',
  sourceType: 'gemeente',
  scopes: ['privacy:erase'],
  region: 'noord-nederland',
  keyHash: 'f'.repeat(64),
};

export const partner = (organisation: string, sourceType = 'gemeente'): Principal => ({
  organisation,
  sourceType,
  scopes: ['signals:write'],
  region: 'noord-nederland',
});

export interface Filing {
  organisation?: string;
  channel?: SignalRecord['channel'];
  observedAt?: string;
  subject?: Record<string, string>;
  description?: string;
  externalId?: string;
}

/**
 * Intake, consumer and casework in memory: signals are taken in by acceptSignal (pseudonymised under the
 * current key, match keys under the previous ones), stored and linked as the consumer does; the erasure
 * and the sweep work on the same stores. The intake clock moves a minute per signal.
 */
export class World {
  readonly signals = new MemorySignals();
  readonly links = new MemoryLinkIndex();
  readonly log = new MemoryAuditLog();
  readonly writer = new MemoryWriter(this.signals, this.log);
  readonly queue = new MemoryQueue();
  readonly dataKeys = new MemoryDataKeys();
  readonly pending = new MemoryPendingErasures();
  private readonly claims = new MemoryClaims();
  private clock = Date.parse('2025-01-01T09:00:00Z');
  current: PseudonymKey = testKey;
  previous: PseudonymKey[] = [];
  now = new Date('2026-02-01T12:00:00Z');

  /** Rotates the pseudonymisation key as `npm run keys -- rotate-pseudonym-key` does: the old one kept for matching. */
  rotate(next: PseudonymKey) {
    this.previous = [this.current, ...this.previous];
    this.current = next;
  }

  private keys() {
    const current = this.current;
    const previous = [...this.previous];
    return { current: async () => current, previous: async () => previous };
  }

  intakePorts(): IntakePorts {
    const tick = () => {
      this.clock += 60_000;
      return new Date(this.clock);
    };
    return { queue: this.queue, claims: this.claims, dataKeys: this.dataKeys, pseudonymKeys: this.keys(), now: tick };
  }

  erasurePorts(extra: Partial<ErasurePorts> = {}): ErasurePorts {
    return { signals: this.signals, links: this.links, pseudonymKeys: this.keys(), writer: this.writer, audit: this.log, now: () => this.now, ...extra };
  }

  retentionPorts(extra: Partial<RetentionPorts> = {}): RetentionPorts {
    return { signals: this.signals, links: this.links, candidates: new MemoryCandidates(this.signals), now: () => this.now, ...extra };
  }

  pendingErasurePorts(): PendingErasurePorts {
    return { signals: this.signals, links: this.links, writer: this.writer, audit: this.log, pending: this.pending, now: () => this.now };
  }

  /** Files a signal through intake, then stores and links it as the consumer does. */
  async file(filing: Filing = {}): Promise<StoredSignal> {
    return this.deliver(await this.accept(filing));
  }

  /** Sets the intake's clock: the next signal accepted is received a minute after `at`. */
  receiveFrom(at: Date) {
    this.clock = at.getTime();
  }

  /** Takes a signal in through intake (202) and leaves it on the queue: a signal in flight. */
  async accept(filing: Filing = {}): Promise<SignalRecord> {
    const input = SignalInputSchema.parse({
      observedAt: filing.observedAt ?? '2024-03-05',
      municipality: 'GM0114',
      form: 'arbeid',
      ...(filing.subject && { subject: filing.subject }),
      ...(filing.description && { description: filing.description }),
      ...(filing.externalId && { externalId: filing.externalId }),
    });
    const result = await acceptSignal(
      { input, principal: partner(filing.organisation ?? 'Gemeente Emmen'), channel: filing.channel ?? 'api' },
      this.intakePorts(),
    );
    if (result.outcome !== 'accepted') throw new Error(`not accepted: ${result.reason}`);
    return this.queue.sent.at(-1)!;
  }

  /** Stores and links a signal from the queue, as the consumer does. */
  async deliver(record: SignalRecord): Promise<StoredSignal> {
    await storeSignal(record, this.signals);
    await linkSignal(record, { links: this.links });
    return (await this.signals.get(record.signalId))!;
  }

  /** Everything the stores hold, as one text: to search for plain values. */
  everything(): string {
    return JSON.stringify({
      signals: [...this.signals.items.values()],
      links: [...this.links.byKey.entries()].map(([key, entries]) => [key, [...entries.values()]]),
      own: [...this.links.own.values()],
      audit: this.log.entries,
      pending: [...this.pending.items.values()],
    });
  }
}
