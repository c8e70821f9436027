import { setTimeout as sleep } from 'node:timers/promises';
import type * as z from 'zod/mini';
import { type Problem, problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { type AuditAction, type AuditRecordSchema, chainEntry } from '../audit/index.js';
import { findSignalInArea } from './area.js';
import { ifMatchHolds, versionMoved } from './version-tag.js';
import type { AuditedSignalWriter, SignalChange, TriageWritePorts } from './write-ports.js';

/** What a triage write makes of the signal as it stands now. */
export type ChangePlan<T> =
  /** Change it, with this entry in the audit log. */
  | { outcome: 'change'; changes: Partial<StoredSignal>; remove?: (keyof StoredSignal)[]; action: AuditAction; purpose: string; result: T }
  /** Nothing to change: the request asks for what the signal already is. */
  | { outcome: 'unchanged'; result: T }
  /** The same request was written before (a retry): answer as then, whatever happened since. */
  | { outcome: 'replayed'; result: T }
  | { outcome: 'refused'; problem: Problem };

export type ChangeResult<T> = { ok: true; result: T; signal: StoredSignal; written: boolean } | { ok: false; problem: Problem };

const DEFAULT_ATTEMPTS = 8;

/** A signal outside the key's area does not exist for it: the same 404 as an unknown one (no probing). */
export const triageSignalNotFound = (): Problem =>
  problem(404, 'not-found', 'Melding niet gevonden', 'Geen melding met dit id in het gebied van deze sleutel, of nog niet verwerkt.');

/** What moved under a write, so that it was not made: the signal (its version) or the audit log (its head). */
export type Moved = 'signal-moved' | 'log-moved';

/** Writes a signal's change with the entry for `record` chained onto the log's head as it is now: both, or neither and what moved. */
export async function writeAudited(
  writer: AuditedSignalWriter,
  change: SignalChange,
  record: z.output<typeof AuditRecordSchema>,
  now: Date,
): Promise<'written' | Moved> {
  const head = await writer.head();
  return writer.write(change, chainEntry(record, head, now), head);
}

/**
 * Tries `attempt` (which reads the signal and the log, decides and writes) until it settles, up to
 * `maxAttempts` times (8 unless said): when the signal or the log moved under its write, it reads both again
 * and decides anew. When it never settles: 409 with `gaveUp`'s detail for a signal that kept moving, 503
 * for a log that did. The triage's changes and the erasures write alike.
 */
export async function untilWritten<R extends object>(
  maxAttempts: number | undefined,
  gaveUp: Readonly<Record<Moved, string>>,
  attempt: () => Promise<R | Moved>,
): Promise<R | { ok: false; problem: Problem }> {
  const attempts = maxAttempts ?? DEFAULT_ATTEMPTS;
  let lastMoved: Moved = 'signal-moved';
  for (let n = 1; n <= attempts; n++) {
    const outcome = await attempt();
    if (typeof outcome === 'object') return outcome;
    lastMoved = outcome;
    // Apart, at random, so that writers which lost together do not meet again.
    if (n < attempts) await sleep(Math.random() * 10 * n);
  }
  return {
    ok: false,
    problem:
      lastMoved === 'signal-moved'
        ? problem(409, 'conflict', 'Conflict', gaveUp['signal-moved'])
        : problem(503, 'unavailable', 'Tijdelijk niet beschikbaar', gaveUp['log-moved']),
  };
}

const withChange = (signal: StoredSignal, changes: Partial<StoredSignal>, remove: readonly (keyof StoredSignal)[]): StoredSignal => {
  const next: StoredSignal = { ...signal, ...changes, version: signal.version + 1 };
  for (const name of remove) if (changes[name] === undefined) delete next[name];
  return next;
};

/**
 * Makes one triage change (an enrichment, a decision) on a signal in the key's area, with its audit entry in
 * the same atomic write: an answer of 200 or 201 never exists without its entry, and an entry never without
 * its change. A crash before the write leaves neither (the client tries again), one after it both.
 *
 * Reads the signal, lets `plan` decide on it as it stands, checks If-Match (412 when the version moved; not
 * for a replay, whose If-Match was the version before its own first success), and writes on the condition
 * that neither the signal nor the log head moved; when one did, it reads both again and plans anew, so a
 * change is always decided on what it changes. Raising the version makes the aggregator move the counts
 * exactly, and `changedAt` is set (retention counts from it).
 */
export async function changeAudited<T>(
  signalId: string,
  principal: Principal,
  ifMatch: string | undefined,
  ports: TriageWritePorts,
  plan: (signal: StoredSignal, now: Date) => Promise<ChangePlan<T>>,
): Promise<ChangeResult<T>> {
  const gaveUp = {
    'signal-moved': 'De melding werd tegelijk gewijzigd; probeer het opnieuw.',
    'log-moved': 'Het auditlogboek kon deze wijziging nu niet vastleggen; probeer het opnieuw.',
  };
  return untilWritten(ports.maxAttempts, gaveUp, async (): Promise<ChangeResult<T> | Moved> => {
    const signal = await findSignalInArea(signalId, principal, ports.signals);
    if (!signal) return { ok: false, problem: triageSignalNotFound() };
    const now = (ports.now ?? (() => new Date()))();
    const planned = await plan(signal, now);
    if (planned.outcome === 'replayed') return { ok: true, result: planned.result, signal, written: false };
    if (!ifMatchHolds(ifMatch, signal.version)) return { ok: false, problem: versionMoved(signal.version) };
    if (planned.outcome === 'refused') return { ok: false, problem: planned.problem };
    if (planned.outcome === 'unchanged') return { ok: true, result: planned.result, signal, written: false };

    // The record is ours, never the client's: a fixed purpose naming fields or routes, so it is not run
    // through the log's purpose check (whose phone-number detection would add 100 KB to these bundles).
    // A principal the log cannot name (no key hash) is a fault in the wiring, never a change unaccounted for.
    if (!principal.keyHash || !/^[0-9a-f]{64}$/.test(principal.keyHash)) throw new Error('a triage change needs the keyHash of its key');
    const record = { organisation: principal.organisation.trim(), keyHash: principal.keyHash, action: planned.action, signalId, purpose: planned.purpose };
    const changes = { ...planned.changes, changedAt: now.toISOString() };
    const remove = planned.remove ?? [];
    const outcome = await writeAudited(ports.writer, { signalId, version: signal.version, changes, remove }, record, now);
    return outcome === 'written' ? { ok: true, result: planned.result, signal: withChange(signal, changes, remove), written: true } : outcome;
  });
}
