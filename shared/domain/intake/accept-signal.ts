import { randomUUID } from 'node:crypto';
import type { Problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import {
  type ContactInput,
  type DataKeyProvider,
  encryptText,
  type PseudonymKey,
  type PseudonymKeyProvider,
  pseudonym,
  pseudonymiseContact,
  pseudonymiseSubject,
  subjectMatchKeys,
} from '#domain/privacy/index.js';
import {
  type EncryptedText,
  LEGAL_BASES,
  MATCH_KINDS,
  MAX_MATCH_KEYS,
  placeSignal,
  type SignalInput,
  type SignalQueue,
  type SignalRecord,
  sourceTypeOf,
  sourceTypeRefusal,
} from '#domain/signal/index.js';
import type { IntakeClaim, IntakeClaimStore } from './ports.js';

export interface IntakePorts {
  queue: SignalQueue;
  claims: IntakeClaimStore;
  pseudonymKeys: PseudonymKeyProvider;
  dataKeys: DataKeyProvider;
  now?: () => Date;
  newId?: () => string;
}

export interface IntakeRequest {
  input: SignalInput;
  principal: Principal;
  channel: SignalRecord['channel'];
  idempotencyKey?: string;
  /** Set by channels that decide the status themselves (e-mail without template: `te-verrijken`). */
  status?: SignalRecord['status'];
  /** The web form's reporter: contact details (pseudonymised) and whether minors seem involved. */
  reporter?: ContactInput;
  minorsSuspected?: SignalRecord['minorsSuspected'];
}

export type IntakeResult =
  | { outcome: 'accepted'; signalId: string; replayed: boolean }
  | { outcome: 'conflict'; reason: 'idempotency-key' | 'external-id' }
  | { outcome: 'refused'; reason: 'source-type'; errors: NonNullable<Problem['errors']> };

/** JSON with sorted keys, so that the same body always has the same fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function buildSignalRecord(request: IntakeRequest, signalId: string, key: PseudonymKey, now: Date) {
  const { input, principal } = request;
  const record: SignalRecord = {
    schemaVersion: 1,
    signalId,
    receivedAt: now.toISOString(),
    organisation: principal.organisation,
    sourceType: sourceTypeOf(input, principal),
    channel: request.channel,
    ...placeSignal(input, principal),
    observedAt: input.observedAt,
    form: input.form,
    signalType: input.signalType,
    status: request.status ?? 'ontvangen',
  };
  if (input.externalId) record.externalRef = pseudonym(key, 'external-id', `${principal.organisation}\u0000${input.externalId}`);
  if (input.exploitationMunicipality) record.exploitationMunicipality = input.exploitationMunicipality;
  if (input.additionalForms?.length) record.additionalForms = [...new Set(input.additionalForms)];
  if (input.sector) record.sector = input.sector;
  if (input.subject) record.subject = pseudonymiseSubject(input.subject, input.observedAt, key);
  if (request.reporter && Object.values(request.reporter).some(Boolean)) record.reporter = pseudonymiseContact(request.reporter, key);
  const minorsSuspected = input.minorsSuspected ?? request.minorsSuspected;
  if (minorsSuspected) record.minorsSuspected = minorsSuspected;
  // The signal's own ground wins over its partner entry's; a value the record would refuse is left out, not queued.
  const legalBasis = input.legalBasis ?? principal.legalBasis;
  if (legalBasis && (LEGAL_BASES as readonly string[]).includes(legalBasis)) record.legalBasis = legalBasis;
  return record;
}

type RetryKey = { reason: 'external-id' | 'idempotency-key'; label: string; prefix: string; value: string };

/** The partner's retry keys a request carries: its externalId and its Idempotency-Key. */
function retryKeysOf(request: IntakeRequest): RetryKey[] {
  const retryKeys: RetryKey[] = [];
  if (request.input.externalId) retryKeys.push({ reason: 'external-id', label: 'external-id', prefix: 'ext', value: request.input.externalId });
  if (request.idempotencyKey) retryKeys.push({ reason: 'idempotency-key', label: 'idempotency-key', prefix: 'idem', value: request.idempotencyKey });
  return retryKeys;
}

const claimKeyOf = (key: PseudonymKey, organisation: string, r: RetryKey) => `${r.prefix}#${pseudonym(key, r.label, `${organisation}\u0000${r.value}`)}`;

/** What a retry must repeat exactly: the channel and the body, as canonical JSON. */
const bodyOf = (request: IntakeRequest) => `${request.channel}\u0000${canonicalJson(request.input)}`;

/**
 * The keys rotated out that still matter: a retry of a signal first sent before a key rotation was claimed
 * under the key of that time, and a person signalled before it is known by pseudonyms under that key.
 */
export async function previousKeysOf(current: PseudonymKey, keys: PseudonymKeyProvider): Promise<PseudonymKey[]> {
  return ((await keys.previous?.()) ?? []).filter((previous) => previous.keyId !== current.keyId);
}

/** Every claim key under which the request's retry keys may be known: under the current key and each previous one. */
export function claimKeysOf(request: IntakeRequest, keys: readonly PseudonymKey[]): string[] {
  return retryKeysOf(request).flatMap((r) => keys.map((key) => claimKeyOf(key, request.principal.organisation, r)));
}

/** A body's fingerprint under a key: what tells a retry from another body under the same retry key. */
const fingerprintOf = (key: PseudonymKey, request: IntakeRequest) => pseudonym(key, 'body', bodyOf(request));

/** The claims of a request that no key of it was claimed for before: each retry key under the current key, for `signalId`. */
export function newClaimsOf(request: IntakeRequest, key: PseudonymKey, signalId: string): IntakeClaim[] {
  const fingerprint = fingerprintOf(key, request);
  return retryKeysOf(request).map((r) => ({ claimKey: claimKeyOf(key, request.principal.organisation, r), signalId, fingerprint }));
}

export type ClaimResult = { outcome: 'claimed'; signalId: string; replayed: boolean } | { outcome: 'conflict'; reason: 'idempotency-key' | 'external-id' };

/**
 * Claims the request's retry keys for `signalId`: a key claimed before with the same body gives that claim's
 * signal (a replay), with another body a conflict. A request without retry keys keeps `signalId`.
 */
export async function claimRetryKeys(
  request: IntakeRequest,
  key: PseudonymKey,
  previousKeys: readonly PseudonymKey[],
  claims: IntakeClaimStore,
  newSignalId: string,
): Promise<ClaimResult> {
  const org = request.principal.organisation;
  let signalId = newSignalId;
  let replayed = false;
  const retryKeys = retryKeysOf(request);
  // Only a retry key needs the body's fingerprint, to tell a retry from another body under the same key.
  const fingerprint = retryKeys.length ? fingerprintOf(key, request) : '';

  for (const previous of previousKeys) {
    for (const r of retryKeys) {
      const earlier = await claims.find(claimKeyOf(previous, org, r));
      if (!earlier) continue;
      if (earlier.fingerprint !== fingerprintOf(previous, request)) return { outcome: 'conflict', reason: r.reason };
      signalId = earlier.signalId;
      replayed = true;
    }
  }

  for (const r of retryKeys) {
    const outcome = await claims.claim({ claimKey: claimKeyOf(key, org, r), signalId, fingerprint });
    if (outcome.status === 'exists') {
      if (outcome.fingerprint !== fingerprint) return { outcome: 'conflict', reason: r.reason };
      signalId = outcome.signalId;
      replayed = true;
    }
  }
  return { outcome: 'claimed', signalId, replayed };
}

/** The record as it is queued: pseudonymised (under the previous keys too, for matching) and its text encrypted. */
export async function sealSignal(
  request: IntakeRequest,
  signalId: string,
  key: PseudonymKey,
  previousKeys: readonly PseudonymKey[],
  ports: Pick<IntakePorts, 'dataKeys' | 'now'>,
  /** The description already being encrypted (acceptSignal starts it beside the claim). */
  sealedDescription?: Promise<EncryptedText>,
): Promise<SignalRecord> {
  const record = buildSignalRecord(request, signalId, key, (ports.now ?? (() => new Date()))());
  // Only now, while the plain identifiers are at hand, can they be pseudonymised under the previous keys too:
  // the newest first (as a rotation lists them), as many as a record may carry match keys for.
  const matchingKeys = previousKeys.slice(0, MAX_MATCH_KEYS / MATCH_KINDS.length);
  const matchKeys = record.subject && request.input.subject ? subjectMatchKeys(request.input.subject, matchingKeys) : [];
  if (record.subject && matchKeys.length > 0) record.subject.matchKeys = matchKeys;
  if (request.input.description) record.description = await (sealedDescription ?? encryptText(request.input.description, ports.dataKeys));
  return record;
}

/**
 * Takes a validated signal in: refuses a source type its key may not state, claims its retry keys, pseudonymises and encrypts, and enqueues it.
 * A retry with the same body is sent again under the same id: the consumer stores it once, and a
 * crash between claim and send cannot lose the signal.
 */
export async function acceptSignal(request: IntakeRequest, ports: IntakePorts): Promise<IntakeResult> {
  const refused = sourceTypeRefusal(request.input, request.principal);
  if (refused) return { outcome: 'refused', reason: 'source-type', errors: refused };
  const key = await ports.pseudonymKeys.current();
  const previousKeys = retryKeysOf(request).length || request.input.subject ? await previousKeysOf(key, ports.pseudonymKeys) : [];
  // The description's data key (a KMS call on AWS) does not wait for the claim (a DynamoDB write): both at once.
  const sealedDescription = request.input.description ? encryptText(request.input.description, ports.dataKeys) : undefined;
  // Awaited in sealSignal; should the claim fail first, its failure is the one reported.
  sealedDescription?.catch(() => undefined);
  const claimed = await claimRetryKeys(request, key, previousKeys, ports.claims, (ports.newId ?? randomUUID)());
  if (claimed.outcome === 'conflict') return claimed;
  await ports.queue.send(await sealSignal(request, claimed.signalId, key, previousKeys, ports, sealedDescription));
  return { outcome: 'accepted', signalId: claimed.signalId, replayed: claimed.replayed };
}
