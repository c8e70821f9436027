import { createHash } from 'node:crypto';
import type { AuditEntry, UnsealedAuditEntry } from './entry.js';

/** Names the format, so that a hash of this chain can never be mistaken for a hash of anything else. */
const FORMAT = 'meldroute-audit-v1';

/**
 * Every field but the hash, in a fixed order, as a JSON array: unambiguous (JSON escapes every separator
 * a field could hold), the same whatever order an item's attributes come back in, and `signalId` null
 * when there is none, so that an entry without one cannot be read as having an empty one. A `decisionId`
 * (newer than the format) comes last and only when there is one: the entries before it keep their hashes,
 * and removing it from an entry that had one still breaks the chain.
 */
export function canonicalEntry(entry: UnsealedAuditEntry): string {
  return JSON.stringify([
    FORMAT,
    entry.sequence,
    entry.at,
    entry.organisation,
    entry.keyHash,
    entry.action,
    entry.signalId,
    entry.purpose,
    entry.previousHash,
    ...(entry.decisionId !== undefined ? [entry.decisionId] : []),
  ]);
}

export function entryHash(entry: UnsealedAuditEntry): string {
  return createHash('sha256').update(canonicalEntry(entry), 'utf8').digest('hex');
}

export function sealEntry(entry: UnsealedAuditEntry): AuditEntry {
  return { ...entry, hash: entryHash(entry) };
}
