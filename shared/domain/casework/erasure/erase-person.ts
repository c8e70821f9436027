import { AuditRecordSchema, appendAudit } from '#domain/casework/audit/index.js';
import { type Moved, untilWritten, writeAudited } from '#domain/casework/triage/index.js';
import { type Problem, problem } from '#domain/kernel/index.js';
import { indexKeyOf, LINK_READ_LIMIT, type LinkIndex, unlink } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import { type PseudonymKeyProvider, subjectMatchKeys } from '#domain/privacy/index.js';
import type { ErasurePorts } from './ports.js';
import { type ErasurePerson, type ErasureRequest, type ErasureResult, erasurePurpose } from './request.js';
import { stripPersonalData } from './strip.js';

/** Above every day a signal can be observed on: "all entries under a key". */
const ANY_DAY = '9999-12-31';
/**
 * Rounds of reading the index: each round takes up to LINK_READ_LIMIT signals per key out of it, so this
 * bounds one request at thousands of signals of one person; a repeat of the request goes on from there.
 */
const MAX_ROUNDS = 20;

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

/** The signals under the keys, each with the places it was found (to remove entries its own entry no longer names). */
async function signalsUnder(keys: readonly string[], links: LinkIndex): Promise<Map<string, Array<{ key: string; observedAt: string }>>> {
  const found = new Map<string, Array<{ key: string; observedAt: string }>>();
  const pages = await Promise.all(keys.map(async (key) => ({ key, page: await links.observedThrough(key, ANY_DAY, LINK_READ_LIMIT) })));
  for (const { key, page } of pages) {
    for (const entry of page.entries) found.set(entry.signalId, [...(found.get(entry.signalId) ?? []), { key, observedAt: entry.observedAt }]);
  }
  return found;
}

type SignalOutcome = { ok: true; value: 'stripped' | 'already-stripped' | 'missing' } | { ok: false; problem: Problem };

/**
 * Strips one signal with its audit entry in one atomic write, deciding on the signal as it stands: when it
 * or the log moved meanwhile, it reads both again. A signal with nothing personal left (stripped by an
 * earlier run that stopped before unlinking it) gets an entry of its own, for the link entries removed now.
 */
async function eraseSignal(
  signalId: string,
  base: { organisation: string; keyHash: string | undefined; purpose: string },
  ports: ErasurePorts,
  now: Date,
): Promise<SignalOutcome> {
  // The record is ours, not the client's: one the log refuses (no key hash) is a fault in the wiring.
  const parsed = AuditRecordSchema.safeParse({ ...base, action: 'erasure', signalId });
  if (!parsed.success) throw new Error(`audit record refused at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const record = parsed.data;
  const gaveUp = {
    'signal-moved': 'Een melding werd tegelijk gewijzigd; doe het verzoek opnieuw.',
    'log-moved': 'Het auditlogboek kon de wissing nu niet vastleggen; doe het verzoek opnieuw.',
  };
  return untilWritten(ports.maxAttempts, gaveUp, async (): Promise<SignalOutcome | Moved> => {
    const signal = await ports.signals.get(signalId);
    if (!signal) return { ok: true, value: 'missing' };
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
 * retention sweep strips it in time.
 */
export async function erasePerson(request: ErasureRequest, principal: Principal, ports: ErasurePorts): Promise<ErasureOutcome> {
  const now = (ports.now ?? (() => new Date()))();
  const base = { organisation: principal.organisation, keyHash: principal.keyHash, purpose: erasurePurpose(request) };
  const keys = await personIndexKeys(request.person, ports.pseudonymKeys);
  const erased = new Set<string>();
  let orphanEntries = 0;
  let finished = false;
  for (let round = 0; round < MAX_ROUNDS && !finished; round++) {
    const found = await signalsUnder(keys, ports.links);
    finished = found.size === 0;
    for (const [signalId, places] of found) {
      const outcome = await eraseSignal(signalId, base, ports, now);
      if (!outcome.ok) return outcome;
      if (outcome.value === 'missing') orphanEntries += places.length;
      else erased.add(signalId);
      // Only after the signal is stripped: a run stopped in between finds it again through the index.
      await unlink(signalId, { links: ports.links });
      // Entries its own entry no longer names (a crash between the two at linking), removed where they were found.
      await Promise.all(places.map((place) => ports.links.remove(place.key, { signalId, observedAt: place.observedAt })));
    }
  }
  if (!finished) {
    return {
      ok: false,
      problem: problem(503, 'unavailable', 'Nog niet klaar', 'Er zijn meer meldingen dan één verzoek wist; doe het verzoek opnieuw om verder te gaan.'),
    };
  }
  if (erased.size === 0) {
    const parsed = AuditRecordSchema.safeParse({ ...base, action: 'erasure', signalId: null });
    if (!parsed.success) throw new Error(`audit record refused at ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const appended = await appendAudit(parsed.data, { log: ports.audit, now: () => now });
    if (!appended.ok) return appended;
  }
  return { ok: true, result: { erased: erased.size, signalIds: [...erased].sort(), erasedAt: now.toISOString() }, orphanEntries };
}
