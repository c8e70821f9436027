import type * as z from 'zod/mini';
import { AuditRecordSchema, appendAudit } from '#domain/casework/audit/index.js';
import { type Moved, untilWritten, writeAudited } from '#domain/casework/triage/index.js';
import type { Problem } from '#domain/kernel/index.js';
import { LINK_READ_LIMIT, type LinkIndex, unlink } from '#domain/linking/index.js';
import type { ErasureStepPorts } from './ports.js';
import { stripPersonalData } from './strip.js';

/** Above every day a signal can be observed on: "all entries under a key". */
const ANY_DAY = '9999-12-31';
/**
 * Rounds of reading the index: each round takes up to LINK_READ_LIMIT signals per key out of it, so this
 * bounds one request at thousands of signals of one person; a repeat of the request goes on from there.
 */
const MAX_ROUNDS = 20;

/** The signals under the keys, each with the places it was found (to remove entries its own entry no longer names). */
async function signalsUnder(keys: readonly string[], links: LinkIndex): Promise<Map<string, Array<{ key: string; observedAt: string }>>> {
  const found = new Map<string, Array<{ key: string; observedAt: string }>>();
  const pages = await Promise.all(keys.map(async (key) => ({ key, page: await links.observedThrough(key, ANY_DAY, LINK_READ_LIMIT) })));
  for (const { key, page } of pages) {
    for (const entry of page.entries) found.set(entry.signalId, [...(found.get(entry.signalId) ?? []), { key, observedAt: entry.observedAt }]);
  }
  return found;
}

type SignalOutcome = { ok: true; value: 'stripped' | 'already-stripped' | 'missing' | 'kept' } | { ok: false; problem: Problem };

/** Who erases, and why: the audit entry of every signal stripped. */
export interface ErasureBase {
  organisation: string;
  keyHash: string | undefined;
  purpose: string;
}

/**
 * The audit record of an erasure, of one signal or (null) of a request that found none. The record is ours,
 * not the client's: one the log refuses (no key hash) is a fault in the wiring, and throws.
 */
export function erasureRecord(base: ErasureBase, signalId: string | null): z.output<typeof AuditRecordSchema> {
  const parsed = AuditRecordSchema.safeParse({ ...base, action: 'erasure', signalId });
  if (!parsed.success) throw new Error(`audit record refused at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  return parsed.data;
}

/**
 * Strips one signal with its audit entry in one atomic write, deciding on the signal as it stands: when it
 * or the log moved meanwhile, it reads both again. A signal with nothing personal left (stripped by an
 * earlier run that stopped before unlinking it) gets an entry of its own, for the link entries removed now.
 * With `receivedBefore`, a signal received at or after it is kept: a new report, not the one erased.
 */
async function eraseSignal(signalId: string, base: ErasureBase, ports: ErasureStepPorts, now: Date, receivedBefore?: string): Promise<SignalOutcome> {
  const record = erasureRecord(base, signalId);
  const gaveUp = {
    'signal-moved': 'Een melding werd tegelijk gewijzigd; doe het verzoek opnieuw.',
    'log-moved': 'Het auditlogboek kon de wissing nu niet vastleggen; doe het verzoek opnieuw.',
  };
  return untilWritten(ports.maxAttempts, gaveUp, async (): Promise<SignalOutcome | Moved> => {
    const signal = await ports.signals.get(signalId);
    if (!signal) return { ok: true, value: 'missing' };
    if (receivedBefore !== undefined && !(signal.receivedAt < receivedBefore)) return { ok: true, value: 'kept' };
    const plan = stripPersonalData(signal, now.toISOString());
    if (!plan) {
      const appended = await appendAudit(record, { log: ports.audit, now: () => now });
      return appended.ok ? { ok: true, value: 'already-stripped' } : appended;
    }
    const change = { signalId, version: signal.version, changes: plan.changes, remove: plan.remove };
    const outcome = await writeAudited(ports.writer, change, record, now);
    return outcome === 'written' ? { ok: true, value: 'stripped' } : outcome;
  });
}

/** What eraseUnder did: the signals stripped, those kept (received later), and link entries of signals no longer stored. */
export type ErasureStepOutcome = { ok: true; erased: string[]; kept: string[]; orphanEntries: number; finished: boolean } | { ok: false; problem: Problem };

/**
 * The step an erasure on request and its finishing share: finds the signals under the person's index keys,
 * strips each with its audit entry and then unlinks it, round after round until a round finds nothing more
 * to erase (`finished`), or MAX_ROUNDS is reached (not finished: a repeat goes on from there). With
 * `receivedBefore` (ISO 8601), only signals received before it are stripped; the others are kept, and linked.
 */
export async function eraseUnder(
  keys: readonly string[],
  base: ErasureBase,
  ports: ErasureStepPorts,
  now: Date,
  receivedBefore?: string,
): Promise<ErasureStepOutcome> {
  const erased = new Set<string>();
  const kept = new Set<string>();
  let orphanEntries = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const found = await signalsUnder(keys, ports.links);
    let progress = false;
    for (const [signalId, places] of found) {
      const outcome = await eraseSignal(signalId, base, ports, now, receivedBefore);
      if (!outcome.ok) return outcome;
      if (outcome.value === 'kept') {
        kept.add(signalId);
        continue;
      }
      progress = true;
      if (outcome.value === 'missing') orphanEntries += places.length;
      else erased.add(signalId);
      // Only after the signal is stripped: a run stopped in between finds it again through the index.
      await unlink(signalId, { links: ports.links });
      // Entries its own entry no longer names (a crash between the two at linking), removed where they were found.
      await Promise.all(places.map((place) => ports.links.remove(place.key, { signalId, observedAt: place.observedAt })));
    }
    if (!progress) return { ok: true, erased: [...erased].sort(), kept: [...kept].sort(), orphanEntries, finished: true };
  }
  return { ok: true, erased: [...erased].sort(), kept: [...kept].sort(), orphanEntries, finished: false };
}
