import type { SignalRecord } from '#domain/signal/index.js';

/** A claim ties a partner's retry key (Idempotency-Key or externalId) to one signal and one body. */
export interface IntakeClaim {
  claimKey: string;
  signalId: string;
  fingerprint: string;
}

export type ClaimOutcome = { status: 'claimed' } | { status: 'exists'; signalId: string; fingerprint: string };

export interface IntakeClaimStore {
  claim(claim: IntakeClaim): Promise<ClaimOutcome>;
  /** The claim under a key, without making one: for claims made under a pseudonymisation key since rotated out. */
  find(claimKey: string): Promise<Omit<IntakeClaim, 'claimKey'> | undefined>;
}

/** Claims read and made in bulk: a batch sorts the retry keys known before from the new ones, and claims those, in few round trips. */
export interface BulkClaimStore {
  /** The claims that exist among these keys, by claim key (read strongly consistent); an absent key has none. */
  findMany(claimKeys: readonly string[]): Promise<Map<string, Omit<IntakeClaim, 'claimKey'>>>;
  /** Claims each key (none twice) exactly as `claim` would; the outcomes in the same order. */
  claimMany(claims: readonly IntakeClaim[]): Promise<ClaimOutcome[]>;
}

/** The signal queue, sent to in bulk. */
export interface SignalBatchQueue {
  /**
   * Puts the records on the queue, retrying what failed; says per record (in the same order) whether it is
   * on the queue. Throws only when none of them got there.
   */
  sendBatch(records: readonly SignalRecord[]): Promise<boolean[]>;
}
