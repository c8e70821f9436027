import { acceptSignal, type IntakePorts, type IntakeRequest } from '#domain/intake/index.js';
import { type LinkingPorts, linkSignal } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { ContactInput, PseudonymKey } from '#domain/privacy/index.js';
import { type SignalInput, SignalInputSchema, type SignalRecord } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';
import { MemoryLinkIndex } from './memory-link-index.js';

export const RETENTION_DAYS = 5 * 365;

export const principalOf = (organisation: string, sourceType = 'gemeente'): Principal => ({
  organisation,
  sourceType,
  scopes: ['signals:write'],
  region: 'noord-nederland',
});

export interface Filed {
  organisation?: string;
  channel?: SignalRecord['channel'];
  observedAt?: string;
  subject?: Record<string, string>;
  reporter?: ContactInput;
  idempotencyKey?: string;
}

/**
 * Intake and consumer as one, in memory: signals are taken in through acceptSignal (pseudonymised under
 * the current key, match keys under the previous ones) and linked as the consumer links them. The clock
 * moves a minute per signal, so that receipt follows the order of filing.
 */
export class Pipeline {
  readonly links = new MemoryLinkIndex();
  readonly queue = new MemoryQueue();
  readonly claims = new MemoryClaims();
  private readonly dataKeys = new MemoryDataKeys();
  private clock = Date.parse('2025-01-01T09:00:00Z');
  current: PseudonymKey = testKey;
  previous: PseudonymKey[] = [];

  get ports(): LinkingPorts {
    return { links: this.links, now: () => new Date('2026-01-01T00:00:00Z') };
  }

  intakePorts(): IntakePorts {
    const current = this.current;
    const previous = [...this.previous];
    return {
      queue: this.queue,
      claims: this.claims,
      dataKeys: this.dataKeys,
      pseudonymKeys: { current: async () => current, previous: async () => previous },
      now: () => this.tick(),
    };
  }

  private tick(): Date {
    this.clock += 60_000;
    return new Date(this.clock);
  }

  /** Rotates the key as `npm run keys -- rotate-pseudonym-key` does: the old one kept for matching. */
  rotate(next: PseudonymKey, keepPrevious = true) {
    this.previous = keepPrevious ? [this.current, ...this.previous] : [];
    this.current = next;
  }

  /** Takes a signal in and returns the record that went on the queue, not yet linked. */
  async accept(filed: Filed = {}): Promise<SignalRecord> {
    const input: SignalInput = SignalInputSchema.parse({
      observedAt: filed.observedAt ?? '2024-03-05',
      municipality: 'GM0114',
      form: 'arbeid',
      ...(filed.subject && { subject: filed.subject }),
    });
    const request: IntakeRequest = {
      input,
      principal: principalOf(filed.organisation ?? 'Gemeente Emmen'),
      channel: filed.channel ?? 'api',
      ...(filed.idempotencyKey && { idempotencyKey: filed.idempotencyKey }),
      ...(filed.reporter && { reporter: filed.reporter }),
    };
    const result = await acceptSignal(request, this.intakePorts());
    if (result.outcome !== 'accepted') throw new Error(`not accepted: ${result.reason}`);
    return this.queue.sent.at(-1)!;
  }

  /** Takes a signal in and links it, as the consumer does after storing it. */
  async file(filed: Filed = {}): Promise<SignalRecord> {
    const record = await this.accept(filed);
    await linkSignal(record, this.ports, RETENTION_DAYS);
    return record;
  }
}
