import { setTimeout as sleep } from 'node:timers/promises';
import type * as z from 'zod/mini';
import { type Problem, problem, validationProblem } from '#domain/kernel/index.js';
import type { AuditEntry, AuditHead } from './entry.js';
import { sealEntry } from './hash.js';
import type { AuditLogStore } from './ports.js';
import { type AuditRecord, AuditRecordSchema } from './record.js';

export interface AuditAppendPorts {
  log: AuditLogStore;
  now?: () => Date;
  /** How often to try when other appends keep coming first; 8 unless said. */
  maxAttempts?: number;
}

export type AppendResult = { ok: true; entry: AuditEntry } | { ok: false; problem: Problem };

const DEFAULT_ATTEMPTS = 8;

/**
 * The sealed entry that follows `head` for a record the log took (AuditRecordSchema's output). Its time is
 * never before the head's: clocks of two functions may differ a little, and keeping `at` in the order of
 * `sequence` lets a period be read as one run of sequences.
 */
export function chainEntry(record: z.output<typeof AuditRecordSchema>, head: AuditHead, now: Date): AuditEntry {
  const { signalId, ...fields } = record;
  const time = now.toISOString();
  return sealEntry({
    sequence: head.sequence + 1,
    at: head.at !== null && head.at > time ? head.at : time,
    ...fields,
    signalId: signalId ?? null,
    previousHash: head.hash,
  });
}

/**
 * Appends one entry: reads the head, seals the next entry onto it and writes it on the condition that the
 * head has not moved; when another append came first it reads the new head and tries again, so two appends
 * never take the same sequence and the chain never forks.
 *
 * A record the log refuses (a purpose with personal data, a key instead of its hash) is a 422 problem;
 * a log too busy to take it after every attempt a 503. Neither throws; a failing store does.
 */
export async function appendAudit(record: AuditRecord, ports: AuditAppendPorts): Promise<AppendResult> {
  const parsed = AuditRecordSchema.safeParse(record);
  if (!parsed.success) return { ok: false, problem: validationProblem(parsed.error, 'Het auditlogboek neemt dit item niet aan.') };
  const now = ports.now ?? (() => new Date());
  const attempts = ports.maxAttempts ?? DEFAULT_ATTEMPTS;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const head = await ports.log.head();
    const entry = chainEntry(parsed.data, head, now());
    if (await ports.log.append(entry, head)) return { ok: true, entry };
    // Apart, at random, so that appends which lost together do not meet again.
    if (attempt < attempts) await sleep(Math.random() * 10 * attempt);
  }
  return {
    ok: false,
    problem: problem(503, 'unavailable', 'Tijdelijk niet beschikbaar', 'Het auditlogboek kon dit item nu niet vastleggen; probeer het opnieuw.'),
  };
}
