import { appendAudit } from '#domain/casework/audit/index.js';
import { type Problem, problem } from '#domain/kernel/index.js';
import { indexKeyOf } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import { type PseudonymKeyProvider, subjectMatchKeys } from '#domain/privacy/index.js';
import { eraseUnder, erasureRecord } from './erase-step.js';
import { pendingErasureOf } from './pending.js';
import type { ErasurePorts } from './ports.js';
import { type ErasurePerson, type ErasureRequest, type ErasureResult, erasurePurpose } from './request.js';

export type ErasureOutcome = { ok: true; result: ErasureResult; orphanEntries: number } | { ok: false; problem: Problem };

/**
 * The index keys a person may be found under: their identifiers pseudonymised as intake does, under the
 * current key and under every previous one (a signal stored before a rotation is indexed under the key of
 * its time). Made here and kept nowhere: the plain identifiers go no further than this function.
 */
export async function personIndexKeys(person: ErasurePerson, keys: PseudonymKeyProvider): Promise<string[]> {
  const current = await keys.current();
  const previous = ((await keys.previous?.()) ?? []).filter((key) => key.keyId !== current.keyId);
  return [...new Set(subjectMatchKeys(person, [current, ...previous]).map(indexKeyOf))];
}

/**
 * Carries out a person's request for erasure (AVG art. 17). Finds every signal of the person through the
 * link index, under the current and every previous pseudonymisation key, whatever organisation or channel
 * filed it; strips each of its person (stripPersonalData), with one audit entry per signal written in the
 * same step; then takes it out of the link index, so that no signal, earlier or later, links to it again.
 * The classification stays, and with it the counts.
 *
 * Idempotent: a repeat finds nothing more, and says so with one entry without a signal. A run cut short
 * (a timeout, a fault) leaves each signal either untouched or stripped with its entry; a repeat finishes it.
 * A signal that names its person by name alone is not found: it cannot be told from a namesake's. The
 * retention sweep strips it in time. A signal accepted but still on a queue when the erasure ran is stripped
 * by the retention sweep's next run after it is stored (finishPendingErasures).
 */
export async function erasePerson(request: ErasureRequest, principal: Principal, ports: ErasurePorts): Promise<ErasureOutcome> {
  const now = (ports.now ?? (() => new Date()))();
  const base = { organisation: principal.organisation, keyHash: principal.keyHash, purpose: erasurePurpose(request) };
  const keys = await personIndexKeys(request.person, ports.pseudonymKeys);
  const step = await eraseUnder(keys, base, ports, now);
  if (!step.ok) return step;
  if (!step.finished) {
    return {
      ok: false,
      problem: problem(503, 'unavailable', 'Nog niet klaar', 'Er zijn meer meldingen dan één verzoek wist; doe het verzoek opnieuw om verder te gaan.'),
    };
  }
  if (step.erased.length === 0) {
    const appended = await appendAudit(erasureRecord(base, null), { log: ports.audit, now: () => now });
    if (!appended.ok) return appended;
  }
  // Kept for the signals still on their way, which the retention sweep strips as they arrive (pending.ts).
  await ports.pending?.add(pendingErasureOf(keys, base, now));
  return { ok: true, result: { erased: step.erased.length, signalIds: step.erased, erasedAt: now.toISOString() }, orphanEntries: step.orphanEntries };
}
