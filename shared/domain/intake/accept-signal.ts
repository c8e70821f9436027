import { randomUUID } from 'node:crypto';
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
import { MATCH_KINDS, MAX_MATCH_KEYS, placeSignal, type SignalInput, type SignalQueue, type SignalRecord } from '#domain/signal/index.js';
import type { IntakeClaimStore } from './ports.js';

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

export type IntakeResult = { outcome: 'accepted'; signalId: string; replayed: boolean } | { outcome: 'conflict'; reason: 'idempotency-key' | 'external-id' };

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
    sourceType: principal.sourceType,
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
  if (request.minorsSuspected) record.minorsSuspected = request.minorsSuspected;
  return record;
}

/**
 * Takes a validated signal in: claims its retry keys, pseudonymises and encrypts, and enqueues it.
 * A retry with the same body is sent again under the same id: the consumer stores it once, and a
 * crash between claim and send cannot lose the signal.
 */
export async function acceptSignal(request: IntakeRequest, ports: IntakePorts): Promise<IntakeResult> {
  const key = await ports.pseudonymKeys.current();
  const org = request.principal.organisation;
  let signalId = (ports.newId ?? randomUUID)();
  let replayed = false;

  const retryKeys: Array<{ reason: 'external-id' | 'idempotency-key'; label: string; prefix: string; value: string }> = [];
  if (request.input.externalId) retryKeys.push({ reason: 'external-id', label: 'external-id', prefix: 'ext', value: request.input.externalId });
  if (request.idempotencyKey) retryKeys.push({ reason: 'idempotency-key', label: 'idempotency-key', prefix: 'idem', value: request.idempotencyKey });
  const claimKeyOf = (k: PseudonymKey, r: (typeof retryKeys)[number]) => `${r.prefix}#${pseudonym(k, r.label, `${org}\u0000${r.value}`)}`;
  // Only a retry key needs the body's fingerprint, to tell a retry from another body under the same key.
  const body = `${request.channel}\u0000${canonicalJson(request.input)}`;
  const fingerprint = retryKeys.length ? pseudonym(key, 'body', body) : '';

  // A retry of a signal first sent before a key rotation was claimed under the key of that time, and a
  // person signalled before it is known by pseudonyms under that key (the subject's match keys, below).
  const previousKeys =
    retryKeys.length || request.input.subject ? ((await ports.pseudonymKeys.previous?.()) ?? []).filter((previous) => previous.keyId !== key.keyId) : [];
  for (const previous of previousKeys) {
    for (const r of retryKeys) {
      const earlier = await ports.claims.find(claimKeyOf(previous, r));
      if (!earlier) continue;
      if (earlier.fingerprint !== pseudonym(previous, 'body', body)) return { outcome: 'conflict', reason: r.reason };
      signalId = earlier.signalId;
      replayed = true;
    }
  }

  for (const r of retryKeys) {
    const outcome = await ports.claims.claim({ claimKey: claimKeyOf(key, r), signalId, fingerprint });
    if (outcome.status === 'exists') {
      if (outcome.fingerprint !== fingerprint) return { outcome: 'conflict', reason: r.reason };
      signalId = outcome.signalId;
      replayed = true;
    }
  }

  const record = buildSignalRecord(request, signalId, key, (ports.now ?? (() => new Date()))());
  // Only now, while the plain identifiers are at hand, can they be pseudonymised under the previous keys too:
  // the newest first (as a rotation lists them), as many as a record may carry match keys for.
  const matchingKeys = previousKeys.slice(0, MAX_MATCH_KEYS / MATCH_KINDS.length);
  const matchKeys = record.subject && request.input.subject ? subjectMatchKeys(request.input.subject, matchingKeys) : [];
  if (record.subject && matchKeys.length > 0) record.subject.matchKeys = matchKeys;
  if (request.input.description) record.description = await encryptText(request.input.description, ports.dataKeys);
  await ports.queue.send(record);
  return { outcome: 'accepted', signalId, replayed };
}
