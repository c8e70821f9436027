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
