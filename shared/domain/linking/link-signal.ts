import type { SignalRecord } from '#domain/signal/index.js';
import { indexKeyOf, matchKeysOf } from './match-keys.js';
import type { LinkingPorts } from './ports.js';

const DAY_SECONDS = 86_400;

/**
 * Puts a stored signal in the link index under every match key of its person, whatever its channel and
 * organisation: it is then linked to every signal, earlier or later, that shares one of them. Repeating it
 * (a redelivered message, a retry of the same signal) changes nothing. A signal without identifiers of its
 * person is not indexed.
 *
 * The entries stay as long as the signal's person does: an erasure or the retention sweep strips the
 * person and unlinks the signal (#domain/casework/erasure). With `retentionDays` they expire by themselves
 * that long after receipt instead, as entries made before the sweep existed do.
 */
export async function linkSignal(record: SignalRecord, ports: LinkingPorts, retentionDays?: number): Promise<{ keys: number }> {
  const keys = matchKeysOf(record).map(indexKeyOf);
  if (keys.length === 0) return { keys: 0 };
  const expiry = retentionDays === undefined ? {} : { expiresAt: Math.floor(Date.parse(record.receivedAt) / 1000) + retentionDays * DAY_SECONDS };
  const { signalId, organisation, observedAt, receivedAt } = record;
  // The signal's own entry first: whatever a crash leaves under a key, unlink finds it from there.
  await ports.links.noteKeys({ signalId, keys, observedAt, receivedAt, ...expiry });
  await Promise.all(keys.map((key) => ports.links.put(key, { signalId, organisation, observedAt, receivedAt, ...expiry })));
  return { keys: keys.length };
}
