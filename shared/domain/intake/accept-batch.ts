import { randomUUID } from 'node:crypto';
import type * as z from 'zod/mini';
import { mapLimited, validationErrors } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { type SignalRecord, sourceTypeRefusal } from '#domain/signal/index.js';
import {
  type ClaimResult,
  claimKeysOf,
  claimRetryKeys,
  type IntakePorts,
  type IntakeRequest,
  newClaimsOf,
  previousKeysOf,
  sealSignal,
} from './accept-signal.js';
import { type BatchItemResult, BatchSignalInputSchema, MAX_BATCH_SIGNALS, SignalBatchEnvelopeSchema, type SignalBatchResult } from './batch-schema.js';
import type { BulkClaimStore, ClaimOutcome, IntakeClaim, IntakeClaimStore, SignalBatchQueue } from './ports.js';

export interface BatchIntakePorts extends Omit<IntakePorts, 'queue' | 'claims'> {
  queue: SignalBatchQueue;
  claims: IntakeClaimStore & BulkClaimStore;
  /** How many claims and encryptions run at once (default 16). */
  concurrency?: number;
}

export type BatchEnvelope = { outcome: 'read'; signals: unknown[] } | { outcome: 'invalid'; error: z.core.$ZodError } | { outcome: 'too-many'; count: number };

/** The batch's signals, still unvalidated, or why the body is no batch at all. */
export function readBatchEnvelope(body: unknown): BatchEnvelope {
  const parsed = SignalBatchEnvelopeSchema.safeParse(body);
  if (!parsed.success) return { outcome: 'invalid', error: parsed.error };
  const count = parsed.data.signals.length;
  return count > MAX_BATCH_SIGNALS ? { outcome: 'too-many', count } : { outcome: 'read', signals: parsed.data.signals };
}

/** A pointer into the batch body: the single route's pointer, under the signal's place in the list. */
const pointerInBatch = (index: number, pointer: string) => `/signals/${index}${pointer === '/' ? '' : pointer}`;

const conflict = (index: number): BatchItemResult => ({
  index,
  status: 'invalid',
  errors: [{ pointer: pointerInBatch(index, '/externalId'), detail: 'Deze externalId is al gebruikt voor een ander signaal, eerder of eerder in deze batch.' }],
});

const failed = (index: number): BatchItemResult => ({
  index,
  status: 'failed',
  errors: [
    {
      pointer: pointerInBatch(index, '/'),
      detail: 'Dit signaal kon nu niet worden verwerkt. Stuur het later opnieuw, met dezelfde externalId: het telt dan één keer.',
    },
  ],
});

/**
 * The claim store for one batch: it answers from what the batch read and claimed in bulk up front, and makes
 * a claim one by one only for what it does not know (a signal first claimed under a key since rotated out).
 * Whatever it learns it remembers for the next signal of the batch. Each claim key is in one group of the
 * batch (below), so no two calls race for it here.
 */
class BatchClaims implements IntakeClaimStore {
  /** The claims this batch made in bulk, by key: answered `claimed` to the signal they were made for. */
  private readonly made = new Map<string, string>();

  constructor(
    private readonly store: IntakeClaimStore & BulkClaimStore,
    private readonly looked: ReadonlySet<string>,
    private readonly known: Map<string, Omit<IntakeClaim, 'claimKey'>>,
  ) {}

  /** Claims these keys, none known before, in bulk. A claim found made with the id proposed here (a retried request) is ours. */
  async claimNew(claims: readonly IntakeClaim[]): Promise<void> {
    if (claims.length === 0) return;
    const outcomes = await this.store.claimMany(claims);
    claims.forEach((claim, i) => {
      const outcome = outcomes[i]!;
      if (outcome.status === 'claimed' || outcome.signalId === claim.signalId) {
        this.known.set(claim.claimKey, { signalId: claim.signalId, fingerprint: claim.fingerprint });
        this.made.set(claim.claimKey, claim.signalId);
      } else {
        this.known.set(claim.claimKey, { signalId: outcome.signalId, fingerprint: outcome.fingerprint });
      }
    });
  }

  async find(claimKey: string) {
    return this.looked.has(claimKey) || this.known.has(claimKey) ? this.known.get(claimKey) : this.store.find(claimKey);
  }

  async claim(claim: IntakeClaim): Promise<ClaimOutcome> {
    if (this.made.get(claim.claimKey) === claim.signalId) {
      this.made.delete(claim.claimKey);
      return { status: 'claimed' };
    }
    const existing = this.known.get(claim.claimKey);
    if (existing) return { status: 'exists', ...existing };
    const outcome = await this.store.claim(claim);
    this.known.set(
      claim.claimKey,
      outcome.status === 'claimed'
        ? { signalId: claim.signalId, fingerprint: claim.fingerprint }
        : { signalId: outcome.signalId, fingerprint: outcome.fingerprint },
    );
    return outcome;
  }
}

/**
 * Takes a batch of signals in, each exactly as the single route would (acceptSignal's claims, pseudonyms
 * and encryption), in few round trips: the claims read in bulk, the new ones made in bulk (conditional puts
 * a hundred at a time), the messages sent ten at a time. An invalid signal is reported with the single
 * route's errors, its pointers into the batch, and does not stop the others.
 *
 * Every signal is claimed before any is sent, as a single signal is: a signal is reported `accepted` (new)
 * or `duplicate` (its externalId taken in before, or earlier in this batch, with the same content) only once
 * its message is on the queue, and then it is stored and counted once. A duplicate is sent again under its
 * first id, so that a batch cut off between claim and send loses nothing when sent again. A signal whose
 * message did not get on the queue is `failed`: sending it again is safe. A failure before any message was
 * sent (claims, keys) is thrown: nothing was promised.
 */
export async function acceptBatch(signals: readonly unknown[], principal: Principal, ports: BatchIntakePorts): Promise<SignalBatchResult> {
  const results = new Array<BatchItemResult>(signals.length);
  const valid: Array<{ index: number; request: IntakeRequest }> = [];
  signals.forEach((signal, index) => {
    const parsed = BatchSignalInputSchema.safeParse(signal);
    // A source type the key may not state is refused as the single route refuses it, before any claim.
    const errors = parsed.success ? sourceTypeRefusal(parsed.data, principal) : validationErrors(parsed.error);
    if (errors) results[index] = { index, status: 'invalid', errors: errors.map((e) => ({ ...e, pointer: pointerInBatch(index, e.pointer) })) };
    else if (parsed.success) valid.push({ index, request: { input: parsed.data, principal, channel: 'api' } });
  });

  if (valid.length > 0) {
    const concurrency = ports.concurrency ?? 16;
    const key = await ports.pseudonymKeys.current();
    const previousKeys = await previousKeysOf(key, ports.pseudonymKeys);
    const lookedUp = valid.flatMap(({ request }) => claimKeysOf(request, [key, ...previousKeys]));
    const known = await ports.claims.findMany(lookedUp);
    const claims = new BatchClaims(ports.claims, new Set(lookedUp), new Map(known));

    // The signals with one externalId are claimed one after another in the order sent: the first is the one
    // taken in, the later ones its duplicates (or conflicts, with other content).
    const groups = new Map<string, typeof valid>();
    for (const item of valid) {
      const group = groups.get(item.request.input.externalId!);
      if (group) group.push(item);
      else groups.set(item.request.input.externalId!, [item]);
    }
    // A signal whose keys nobody claimed before (most of a new batch) is claimed in bulk, under a new id;
    // the rest are settled by what was read, as claimRetryKeys settles a single signal.
    const newId = ports.newId ?? randomUUID;
    const proposed = new Map<number, string>();
    const fresh = [...groups.values()]
      .map((group) => group[0]!)
      .filter(({ request }) => claimKeysOf(request, [key, ...previousKeys]).every((claimKey) => !known.has(claimKey)));
    for (const { index } of fresh) proposed.set(index, newId());
    await claims.claimNew(fresh.flatMap(({ index, request }) => newClaimsOf(request, key, proposed.get(index)!)));
    const claimed = new Map<number, ClaimResult>();
    await mapLimited([...groups.values()], concurrency, async (group) => {
      for (const { index, request } of group) claimed.set(index, await claimRetryKeys(request, key, previousKeys, claims, proposed.get(index) ?? newId()));
    });

    // One message per signal: a duplicate within the batch goes with its first.
    const toSend = new Map<string, IntakeRequest>();
    for (const { index, request } of valid) {
      const claim = claimed.get(index)!;
      if (claim.outcome === 'conflict') results[index] = conflict(index);
      else if (!toSend.has(claim.signalId)) toSend.set(claim.signalId, request);
    }
    const records: SignalRecord[] = await mapLimited([...toSend], concurrency, ([signalId, request]) =>
      sealSignal(request, signalId, key, previousKeys, ports),
    );
    const sent = records.length > 0 ? await ports.queue.sendBatch(records) : [];
    const onQueue = new Set(records.filter((_, i) => sent[i]).map((record) => record.signalId));

    for (const { index } of valid) {
      const claim = claimed.get(index)!;
      if (claim.outcome === 'conflict') continue;
      if (!onQueue.has(claim.signalId)) results[index] = failed(index);
      else results[index] = { index, status: claim.replayed ? 'duplicate' : 'accepted', signalId: claim.signalId };
    }
  }

  const count = (status: BatchItemResult['status']) => results.filter((r) => r.status === status).length;
  return { results, accepted: count('accepted'), duplicate: count('duplicate'), invalid: count('invalid'), failed: count('failed') };
}
