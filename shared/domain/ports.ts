import type { Contribution, CounterDeltas } from './counters.js';
import type { SignalRecord, StoredSignal } from './signal-record.js';

/** The keyed-hash secret; it rotates, so every pseudonym is stored beside the id of the key that made it. */
export interface PseudonymKey {
  keyId: string;
  secret: Uint8Array;
}

export interface PseudonymKeyProvider {
  current(): Promise<PseudonymKey>;
}

/** A fresh data key for envelope encryption: its plaintext encrypts one text, its wrapped form is stored. */
export interface DataKey {
  keyId: string;
  plaintext: Uint8Array;
  encrypted: Uint8Array;
}

export interface DataKeyProvider {
  generateDataKey(): Promise<DataKey>;
  decryptDataKey(keyId: string, encrypted: Uint8Array): Promise<Uint8Array>;
}

export interface SignalQueue {
  send(record: SignalRecord): Promise<void>;
}

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

export interface SignalStore {
  /** Stores the signal unless one with its id is there already; says which. */
  putIfAbsent(signal: StoredSignal): Promise<'stored' | 'duplicate'>;
  get(signalId: string): Promise<StoredSignal | undefined>;
  /** Sets the changes and raises the version, provided the signal is still at `version`; false otherwise. */
  update(signalId: string, version: number, changes: Partial<StoredSignal>): Promise<boolean>;
}

export interface Principal {
  organisation: string;
  sourceType: string;
  scopes: string[];
  region: string;
}

export interface ApiKeyStore {
  /** Looks a key up by the SHA-256 of its text; only the hash is ever stored. */
  findByHash(keyHash: string): Promise<Principal | undefined>;
}

/** What the aggregator last counted for one signal. */
export interface AppliedState {
  version: number;
  contribution: Contribution | null;
}

export interface AggregationStore {
  applied(signalId: string): Promise<AppliedState | undefined>;
  /**
   * Records `next` as the signal's applied state and adds the deltas, in one transaction, provided the
   * applied state is still at `previousVersion` (undefined: none yet). False when another writer came first.
   */
  apply(signalId: string, previousVersion: number | undefined, next: AppliedState, deltas: CounterDeltas): Promise<boolean>;
}

export interface CounterReader {
  read(counterKey: string): Promise<Record<string, number>>;
}

/** Whom mail from an address or domain counts under: a partner entry beside the API keys. */
export interface MailSender {
  organisation: string;
  sourceType: string;
  region: string;
  /** Where a mail that names no municipality is counted. */
  province?: string;
}

export interface MailSenderDirectory {
  /** Looks one entry up by its key (see `senderEntryKeys`). */
  get(entryKey: string): Promise<MailSender | undefined>;
}

/** Where a received message rests until it is processed: an S3 object on AWS, a file on one machine. */
export interface MailLocation {
  bucket: string;
  key: string;
}

export interface RawMailStore {
  /** The raw message; undefined when it is gone, because an earlier delivery of the event processed it. */
  get(location: MailLocation): Promise<Uint8Array | undefined>;
  delete(location: MailLocation): Promise<void>;
}

export interface RateCounter {
  /** Adds one to the counter under `key` (kept until `expiresAt`, epoch seconds) and gives its new value. */
  increment(key: string, expiresAt: number): Promise<number>;
  /** The counter's value; 0 when there is none. */
  read(key: string): Promise<number>;
}
