import type { LinkEntry, LinkingPorts } from './ports.js';

/**
 * Entries read per match key at most. No item grows with a person's signals (each entry is an item of
 * its own), but a key shared by very many signals (a phone number many were made to use) is read no
 * further than this: the counts are then a lower bound, and say so.
 */
export const LINK_READ_LIMIT = 250;

/** What the triage table may show of a signal's repeats: counts and a month, never who or which. */
export interface RepeatInfo {
  /** Signals of the same person observed before this one, each counted once over all its match keys. */
  earlierSignals: number;
  /** The distinct organisations that filed them. */
  organisations: number;
  /** The month (YYYY-MM) the earliest of them was observed; absent when there are none. */
  since?: string;
  /** False when a match key held more entries than were read: the counts are then at least these. */
  complete: boolean;
}

type Ordered = Pick<LinkEntry, 'signalId' | 'observedAt' | 'receivedAt'>;

/** Observed earlier; on the same day, received earlier (the id only settles a tie, so that the order is total). */
const isEarlier = (a: Ordered, b: Ordered) =>
  a.observedAt !== b.observedAt ? a.observedAt < b.observedAt : a.receivedAt !== b.receivedAt ? a.receivedAt < b.receivedAt : a.signalId < b.signalId;

/**
 * "Eerder gesignaleerd": how often the person of a signal was signalled before it, by how many
 * organisations, since when. Internal: for the triage table, never for a partner (who must not learn of
 * other organisations' signals). Undefined when the signal is not in the index: it named no one, is not
 * processed yet, or was unlinked.
 */
export async function repeatInfo(signalId: string, ports: LinkingPorts): Promise<RepeatInfo | undefined> {
  const own = await ports.links.indexed(signalId);
  if (!own) return undefined;
  const now = Math.floor((ports.now?.() ?? new Date()).getTime() / 1000);
  const pages = await Promise.all(own.keys.map((key) => ports.links.observedThrough(key, own.observedAt, LINK_READ_LIMIT)));
  const earlier = new Map<string, LinkEntry>();
  for (const { entries } of pages) {
    // An expired entry may linger until DynamoDB's TTL removes it (within days): it no longer counts.
    for (const entry of entries) {
      const live = entry.expiresAt === undefined || entry.expiresAt > now;
      if (entry.signalId !== signalId && live && isEarlier(entry, own)) earlier.set(entry.signalId, entry);
    }
  }
  const found = [...earlier.values()];
  const since = found
    .map((entry) => entry.observedAt)
    .sort()[0]
    ?.slice(0, 7);
  return {
    earlierSignals: found.length,
    organisations: new Set(found.map((entry) => entry.organisation)).size,
    ...(since && { since }),
    complete: pages.every((page) => !page.more),
  };
}
