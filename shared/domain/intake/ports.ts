/** A claim ties a partner's retry key (Idempotency-Key or externalId) to one signal and one body. */
export interface IntakeClaim {
  claimKey: string;
  signalId: string;
  fingerprint: string;
}

export type ClaimOutcome = { status: 'claimed' } | { status: 'exists'; signalId: string; fingerprint: string };

export interface IntakeClaimStore {
  claim(claim: IntakeClaim): Promise<ClaimOutcome>;
}
