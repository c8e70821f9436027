import type { PersonStanding, SignalStore } from '#domain/signal/index.js';
import type { LinkEntry, LinkingPorts } from './ports.js';
import { LINK_READ_LIMIT } from './repeat-info.js';

/** Reads every entry under a key, whatever its day: arrival, not observation, decides here. */
const ANY_DAY = '9999-12-31';

type Arrival = Pick<LinkEntry, 'signalId' | 'receivedAt'>;

/** Received earlier; the id only settles a tie, so that the order is total. */
const arrivedBefore = (a: Arrival, b: Arrival) => (a.receivedAt !== b.receivedAt ? a.receivedAt < b.receivedAt : a.signalId < b.signalId);

/**
 * Where a signal stands among its person's signals, by ARRIVAL: whether any linked signal was received
 * before it, and whether any such was observed in its year. Arrival, so that a later arrival (a late
 * report of an older observation) never changes an earlier signal's figures; the same answer on a
 * redelivery. Read as repeatInfo reads (its match keys, live entries, LINK_READ_LIMIT per key). Undefined
 * when the signal is not in the index: it named no one, or was unlinked.
 */
export async function personStanding(signalId: string, ports: LinkingPorts): Promise<PersonStanding | undefined> {
  return (await readStanding(signalId, ports))?.standing;
}

/** The standing, and the linked signals received AFTER this one (whose standing this one's arrival may raise). */
async function readStanding(signalId: string, ports: LinkingPorts): Promise<{ standing: PersonStanding; later: string[] } | undefined> {
  const own = await ports.links.indexed(signalId);
  if (!own) return undefined;
  const now = Math.floor((ports.now?.() ?? new Date()).getTime() / 1000);
  const year = own.observedAt.slice(0, 4);
  const pages = await Promise.all(own.keys.map((key) => ports.links.observedThrough(key, ANY_DAY, LINK_READ_LIMIT)));
  let signalledBefore = false;
  let earlierInYear = false;
  const later = new Set<string>();
  for (const { entries } of pages) {
    for (const entry of entries) {
      const live = entry.expiresAt === undefined || entry.expiresAt > now;
      if (entry.signalId === signalId || !live) continue;
      if (!arrivedBefore(entry, own)) {
        later.add(entry.signalId);
        continue;
      }
      signalledBefore = true;
      if (entry.observedAt.slice(0, 4) === year) earlierInYear = true;
    }
  }
  return { standing: { signalledBefore, earlierInYear }, later: [...later] };
}

/** A standing only ever rises (false to true): what one reading saw, a later one sees too. */
const raised = (stored: PersonStanding | undefined, seen: PersonStanding): PersonStanding => ({
  signalledBefore: (stored?.signalledBefore ?? false) || seen.signalledBefore,
  earlierInYear: (stored?.earlierInYear ?? false) || seen.earlierInYear,
});
const same = (a: PersonStanding | undefined, b: PersonStanding) => a?.signalledBefore === b.signalledBefore && a?.earlierInYear === b.earlierInYear;

/** A version conflict is retried this often (the signal re-read each time) before the message goes back to the queue. */
const ATTEMPTS = 3;

/**
 * Puts the signal's standing on it (SignalStore.update raises the version, so the counts follow exactly),
 * after linking, and raises the standing of its person's signals that were received after it but read the
 * index before this one was linked in it. Two signals of one person processed at the same time (in one batch,
 * or by two consumers) both link before they read, so whichever reads second sees the other: either the
 * later one sees the earlier (and stands right), or the earlier one sees the later and raises it here. A
 * standing only rises, so a redelivery, a replay or two raises at once agree. Not on an erased signal, nor
 * on one that named nobody. `conflict`: a signal kept changing under it; the caller lets the message come back.
 */
export async function notePersonStanding(
  signalId: string,
  ports: LinkingPorts & { signals: SignalStore },
): Promise<'set' | 'unchanged' | 'unknown' | 'conflict'> {
  const own = await raiseStanding(signalId, ports);
  if (own === 'conflict' || own === 'unknown') return own;
  const read = await readStanding(signalId, ports);
  for (const later of read?.later ?? []) {
    if ((await raiseStanding(later, ports, true)) === 'conflict') return 'conflict';
  }
  return own;
}

/** Sets or raises one signal's standing; `onlyRaise`: leave a signal without one to its own consumer. */
async function raiseStanding(
  signalId: string,
  ports: LinkingPorts & { signals: SignalStore },
  onlyRaise = false,
): Promise<'set' | 'unchanged' | 'unknown' | 'conflict'> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const stored = await ports.signals.get(signalId);
    if (!stored || stored.erasedAt || (onlyRaise && !stored.person)) return 'unchanged';
    const read = await readStanding(signalId, ports);
    if (!read) return stored.person ? 'unchanged' : 'unknown';
    const person = raised(stored.person, read.standing);
    if (same(stored.person, person)) return 'unchanged';
    if (await ports.signals.update(signalId, stored.version, { person })) return 'set';
  }
  return 'conflict';
}
