import * as z from 'zod/mini';
import { type Problem, problem } from '#domain/kernel/index.js';
import { type LinkIndex, repeatInfo } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import { type AuditAction, type AuditLogReader, type AuditLogStore, appendAudit, PurposeSchema } from '../audit/index.js';
import { findSignalInArea } from './area.js';
import { triageSignalNotFound } from './audited-change.js';
import { MAX_HISTORY_EVENTS, type TriageSignalDetail, triageSignalDetailOf } from './triage-view.js';

/** The purpose a detail read is logged with when the reader states none: the table's own work. */
export const DEFAULT_TRIAGE_PURPOSE = 'Triage door de weeg- en monitortafel';

/** The query of GET /v1/triage/signals/{signalId}: an optional purpose for the log, refused when it holds personal data. */
export const TriageSignalQuerySchema = z.strictObject({
  purpose: z.optional(
    PurposeSchema.check(
      z.meta({
        example: 'Voorbereiding weegtafel 14 maart',
        description: `Waarom u de melding inziet, voor het auditlogboek; zonder persoonsgegevens. Standaard: ${DEFAULT_TRIAGE_PURPOSE}.`,
      }),
    ),
  ),
});

export interface SignalReadPorts {
  signals: SignalStore;
  links: LinkIndex;
  audit: AuditLogStore & AuditLogReader;
  now?: () => Date;
}

export type TriageReadResult<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** What the audit log is told of a look: the action, the stated purpose, and the decision when the look is at one. */
export interface LookRecord {
  action: AuditAction;
  purpose: string;
  decisionId?: string;
}

/**
 * Finds the signal in the key's area and logs the look before anything of it is returned: no entry, no data.
 * A principal without a key hash (never one the authorizer let through) cannot be named in the log, so it
 * reads nothing either.
 */
export async function auditedLook(
  signalId: string,
  principal: Principal,
  look: LookRecord,
  ports: { signals: SignalStore; audit: AuditLogStore; now?: () => Date },
  /** What must hold of the signal before the look is logged (a text to read); its problem otherwise. */
  precondition?: (signal: StoredSignal) => Problem | undefined,
): Promise<TriageReadResult<StoredSignal>> {
  const signal = await findSignalInArea(signalId, principal, ports.signals);
  if (!signal) return { ok: false, problem: triageSignalNotFound() };
  const refused = precondition?.(signal);
  if (refused) return { ok: false, problem: refused };
  if (!principal.keyHash) {
    return { ok: false, problem: problem(503, 'unavailable', 'Tijdelijk niet beschikbaar', 'Deze inzage kon niet in het auditlogboek worden vastgelegd.') };
  }
  const logged = await appendAudit(
    { organisation: principal.organisation, keyHash: principal.keyHash, signalId: signal.signalId, ...look },
    { log: ports.audit, ...(ports.now && { now: ports.now }) },
  );
  return logged.ok ? { ok: true, value: signal } : logged;
}

/**
 * GET /v1/triage/signals/{signalId}: the signal with its history and repeat information, for a key whose area
 * holds it. The read is logged first (signal-read, with the stated purpose or the default), so the history
 * shown ends with this very look.
 */
export async function readTriageSignal(
  signalId: string,
  principal: Principal,
  purpose: string | undefined,
  ports: SignalReadPorts,
): Promise<TriageReadResult<TriageSignalDetail>> {
  const looked = await auditedLook(signalId, principal, { action: 'signal-read', purpose: purpose ?? DEFAULT_TRIAGE_PURPOSE }, ports);
  if (!looked.ok) return looked;
  const signal = looked.value;
  const [repeat, events] = await Promise.all([
    repeatInfo(signal.signalId, { links: ports.links, ...(ports.now && { now: ports.now }) }),
    ports.audit.signalEntriesAfter(signal.signalId, 0, MAX_HISTORY_EVENTS + 1),
  ]);
  return { ok: true, value: triageSignalDetailOf(signal, repeat, events.slice(0, MAX_HISTORY_EVENTS), events.length <= MAX_HISTORY_EVENTS) };
}
