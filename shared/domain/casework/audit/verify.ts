import { type AuditEntry, type AuditHead, GENESIS_HASH } from './entry.js';
import { entryHash } from './hash.js';

/**
 * Where a chain first breaks, by the sequence at which it does:
 * - `gap`: the entry with this sequence is missing (the next one read has a higher sequence, or the head
 *   says the log is longer than what was read);
 * - `hash`: this entry's content no longer gives its hash (a field was changed);
 * - `link`: this entry does not follow the one before it (its previousHash is not that entry's hash, or an
 *   entry with a lower sequence came here; or the head names another last entry).
 */
export interface ChainBreak {
  sequence: number;
  reason: 'hash' | 'link' | 'gap';
}

export type ChainVerdict = { intact: true; count: number } | { intact: false; count: number; broken: ChainBreak };

/** Verifies a chain entry by entry, so that a log of any length can be read in pages. */
export class ChainVerifier {
  private expected = 1;
  private previousHash = GENESIS_HASH;
  private firstBreak: ChainBreak | undefined;
  /** Entries seen, the broken and those after it included. */
  count = 0;

  add(entry: AuditEntry): void {
    this.count++;
    if (this.firstBreak) return;
    this.firstBreak = this.check(entry);
    this.expected++;
    this.previousHash = entry.hash;
  }

  private check(entry: AuditEntry): ChainBreak | undefined {
    if (entry.sequence !== this.expected) return { sequence: this.expected, reason: entry.sequence > this.expected ? 'gap' : 'link' };
    if (entryHash(entry) !== entry.hash) return { sequence: entry.sequence, reason: 'hash' };
    if (entry.previousHash !== this.previousHash) return { sequence: entry.sequence, reason: 'link' };
    return undefined;
  }

  /** The verdict on what was added; with the head, entries cut off at the end are found too. */
  verdict(head?: AuditHead): ChainVerdict {
    const broken = this.firstBreak ?? (head && this.checkHead(head));
    return broken ? { intact: false, count: this.count, broken } : { intact: true, count: this.count };
  }

  private checkHead(head: AuditHead): ChainBreak | undefined {
    const last = this.expected - 1;
    if (head.sequence > last) return { sequence: last + 1, reason: 'gap' };
    if (head.sequence < last) return { sequence: head.sequence + 1, reason: 'link' };
    if (head.hash !== this.previousHash) return { sequence: last, reason: 'link' };
    return undefined;
  }
}

/**
 * Recomputes every hash and link of a chain given in order of sequence, and names the first broken entry.
 * Give the head (where the log says it stands) to find entries removed from the end as well.
 */
export function verifyChain(entries: Iterable<AuditEntry>, head?: AuditHead): ChainVerdict {
  const verifier = new ChainVerifier();
  for (const entry of entries) verifier.add(entry);
  return verifier.verdict(head);
}
