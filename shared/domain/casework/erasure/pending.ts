import { randomUUID } from 'node:crypto';
import { MAX_PURPOSE_LENGTH } from '#domain/casework/audit/index.js';
import { type ErasureBase, eraseUnder } from './erase-step.js';
import type { PendingErasure, PendingErasurePorts } from './ports.js';

/**
 * How long an erasure is kept for the signals still on their way: SQS keeps a message at most 14 days
 * (the signal queue 4, its dead-letter queue 14, counted from the first enqueue), so after 15 days no signal
 * accepted before the erasure can still arrive; the extra day covers the nightly sweep's interval.
 */
export const PENDING_ERASURE_DAYS = 15;

/** Said after the erasure's own purpose in the entry of a signal stripped late: why it is later, nothing about whom. */
export const IN_FLIGHT_NOTE = '; melding was nog onderweg bij de wissing';

/** The pending erasure that erasePerson keeps: the index keys (pseudonyms), who asked and why, until when. */
export function pendingErasureOf(keys: readonly string[], base: ErasureBase, erasedAt: Date): PendingErasure {
  return {
    erasureId: randomUUID(),
    keys: [...keys],
    erasedAt: erasedAt.toISOString(),
    organisation: base.organisation,
    keyHash: base.keyHash,
    purpose: base.purpose,
    expiresAt: Math.floor(erasedAt.getTime() / 1000) + PENDING_ERASURE_DAYS * 86_400,
  };
}

/** The purpose of a late entry: the original one, shortened where needed so that the note fits the log's limit. */
const inFlightPurpose = (purpose: string) => `${purpose.slice(0, MAX_PURPOSE_LENGTH - IN_FLIGHT_NOTE.length)}${IN_FLIGHT_NOTE}`;

/** What one run of finishPendingErasures did, in counts (the sweep's log line). */
export interface PendingErasureReport {
  /** Pending erasures read. */
  pending: number;
  /** Signals received before their erasure, stripped now. */
  stripped: number;
  /** Signals of the same keys received after the erasure: new reports, left as they are. */
  kept: number;
  /** Link entries of signals no longer stored, removed. */
  orphanEntries: number;
  /** Pending erasures removed because their time had passed. */
  expired: number;
  /** Pending erasures that could not be finished now (a signal kept moving, the log was busy, too many signals); the next run tries again. */
  deferred: number;
}

/**
 * Finishes the erasures for the signals that were accepted before an erasure but stored after it (from the
 * queue, or redriven from the dead-letter queue). For each pending erasure it strips, with the same step as
 * the erasure itself (eraseUnder), the signals under its keys received before `erasedAt`, each with an audit
 * entry in the name of whoever asked for the erasure and its purpose with a note that the signal was still
 * on its way, and unlinks them; a signal received afterwards is a new report and stays. A pending erasure
 * whose time has passed is removed after this last run (DynamoDB's TTL is only the backstop).
 * Idempotent: a stripped signal is unlinked, so a second run finds nothing to do.
 */
export async function finishPendingErasures(ports: PendingErasurePorts, now: Date = (ports.now ?? (() => new Date()))()): Promise<PendingErasureReport> {
  const report: PendingErasureReport = { pending: 0, stripped: 0, kept: 0, orphanEntries: 0, expired: 0, deferred: 0 };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  for (const pending of await ports.pending.list()) {
    report.pending++;
    const base = { organisation: pending.organisation, keyHash: pending.keyHash, purpose: inFlightPurpose(pending.purpose) };
    const step = await eraseUnder(pending.keys, base, ports, now, pending.erasedAt);
    if (step.ok) {
      report.stripped += step.erased.length;
      report.kept += step.kept.length;
      report.orphanEntries += step.orphanEntries;
    }
    if (!step.ok || !step.finished) {
      // Kept, even past its time: the next run goes on with it (until DynamoDB's TTL removes it).
      report.deferred++;
      continue;
    }
    if (pending.expiresAt <= nowSeconds) {
      await ports.pending.remove(pending.erasureId);
      report.expired++;
    }
  }
  return report;
}
