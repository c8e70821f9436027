import { describe, expect, it } from 'vitest';
import { type AuditEntry, ChainVerifier, entryHash, sealEntry, verifyChain } from '#domain/casework/index.js';
import { chain } from './fixtures.js';

const headOf = (entries: AuditEntry[]) => {
  const last = entries.at(-1)!;
  return { sequence: last.sequence, hash: last.hash, at: last.at };
};

describe('verifyChain', () => {
  it('finds a sound chain intact, and counts it', () => {
    const entries = chain(7);
    expect(verifyChain(entries)).toEqual({ intact: true, count: 7 });
    expect(verifyChain(entries, headOf(entries))).toEqual({ intact: true, count: 7 });
  });

  it('finds an empty log intact against an empty head', () => {
    expect(verifyChain([], { sequence: 0, hash: '0'.repeat(64), at: null })).toEqual({ intact: true, count: 0 });
  });

  it('names an entry whose field was changed (hash)', () => {
    const entries = chain(6);
    entries[2] = { ...entries[2]!, purpose: 'Iets anders' };
    expect(verifyChain(entries)).toEqual({ intact: false, count: 6, broken: { sequence: 3, reason: 'hash' } });
    const renamed = chain(6);
    renamed[4] = { ...renamed[4]!, organisation: 'Gemeente Emmen' };
    expect(verifyChain(renamed)).toMatchObject({ broken: { sequence: 5, reason: 'hash' } });
  });

  it('names the entry after one that was changed and hashed again (link)', () => {
    const entries = chain(6);
    const { hash: _, ...changed } = { ...entries[2]!, purpose: 'Iets anders' };
    entries[2] = sealEntry(changed);
    expect(verifyChain(entries)).toMatchObject({ intact: false, broken: { sequence: 4, reason: 'link' } });
  });

  it('names a removed entry (gap)', () => {
    const entries = chain(6);
    entries.splice(2, 1);
    expect(verifyChain(entries)).toEqual({ intact: false, count: 5, broken: { sequence: 3, reason: 'gap' } });
    expect(verifyChain(chain(4).slice(1))).toMatchObject({ broken: { sequence: 1, reason: 'gap' } });
  });

  it('names the place of a reordered entry, whether moved as it was or renumbered into its new place', () => {
    const moved = chain(6);
    [moved[2], moved[3]] = [moved[3]!, moved[2]!];
    expect(verifyChain(moved)).toMatchObject({ intact: false, broken: { sequence: 3, reason: 'gap' } });

    // Swapped sequences (as a swap of sort keys in the table would read): each entry's own hash breaks.
    const renumbered = chain(6);
    [renumbered[2], renumbered[3]] = [
      { ...renumbered[3]!, sequence: 3 },
      { ...renumbered[2]!, sequence: 4 },
    ];
    expect(verifyChain(renumbered)).toMatchObject({ intact: false, broken: { sequence: 3, reason: 'hash' } });

    // Renumbered and hashed again by someone who knows the scheme: the links give it away.
    const rehashed = chain(6);
    const third = rehashed[2]!;
    const fourth = rehashed[3]!;
    rehashed[2] = sealEntry({ ...fourth, sequence: 3 });
    rehashed[3] = sealEntry({ ...third, sequence: 4 });
    expect(verifyChain(rehashed)).toMatchObject({ intact: false, broken: { sequence: 3, reason: 'link' } });
  });

  it('names an entry read twice (link)', () => {
    const entries = chain(4);
    entries.splice(2, 0, entries[1]!);
    expect(verifyChain(entries)).toMatchObject({ intact: false, broken: { sequence: 3, reason: 'link' } });
  });

  it('reports only the first break, however many follow', () => {
    const entries = chain(8);
    entries[1] = { ...entries[1]!, purpose: 'x' };
    entries.splice(5, 1);
    expect(verifyChain(entries)).toMatchObject({ broken: { sequence: 2, reason: 'hash' } });
  });

  it('finds entries cut off at the end, and an end the head does not know, against the head', () => {
    const entries = chain(5);
    const head = headOf(entries);
    expect(verifyChain(entries.slice(0, 3), head)).toMatchObject({ intact: false, broken: { sequence: 4, reason: 'gap' } });
    expect(verifyChain(entries.slice(0, 3))).toMatchObject({ intact: true });
    expect(verifyChain(entries, { ...head, sequence: 4 })).toMatchObject({ intact: false, broken: { sequence: 5, reason: 'link' } });
    expect(verifyChain(entries, { ...head, hash: entryHash(entries[0]!) })).toMatchObject({ intact: false, broken: { sequence: 5, reason: 'link' } });
  });

  it('verifies page by page as well as at once', () => {
    const entries = chain(9);
    entries[6] = { ...entries[6]!, action: 'erasure' === entries[6]!.action ? 'decision' : 'erasure' };
    const verifier = new ChainVerifier();
    for (const page of [entries.slice(0, 4), entries.slice(4)]) for (const entry of page) verifier.add(entry);
    expect(verifier.verdict()).toEqual(verifyChain(entries));
    expect(verifier.verdict()).toMatchObject({ count: 9, broken: { sequence: 7, reason: 'hash' } });
  });
});
