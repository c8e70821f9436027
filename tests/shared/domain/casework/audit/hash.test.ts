import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalEntry, entryHash, GENESIS_HASH, sealEntry, type UnsealedAuditEntry } from '#domain/casework/index.js';
import { KEY_HASH, SIGNAL } from './fixtures.js';

const unsealed: UnsealedAuditEntry = {
  sequence: 1,
  at: '2026-03-12T09:01:00.000Z',
  organisation: 'Meldpunt Noord-Nederland',
  keyHash: KEY_HASH,
  action: 'signal-read',
  signalId: SIGNAL,
  purpose: 'Triage voor de weegtafel',
  previousHash: GENESIS_HASH,
};

describe('hashing an audit entry', () => {
  it('starts a chain at 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('is the SHA-256 of a canonical serialisation of every field but the hash, previousHash included', () => {
    const canonical = canonicalEntry(unsealed);
    expect(JSON.parse(canonical)).toEqual([
      'meldroute-audit-v1',
      1,
      '2026-03-12T09:01:00.000Z',
      'Meldpunt Noord-Nederland',
      KEY_HASH,
      'signal-read',
      SIGNAL,
      'Triage voor de weegtafel',
      GENESIS_HASH,
    ]);
    expect(entryHash(unsealed)).toBe(createHash('sha256').update(canonical, 'utf8').digest('hex'));
    expect(sealEntry(unsealed)).toEqual({ ...unsealed, hash: entryHash(unsealed) });
  });

  it('does not depend on the order in which an item gives its attributes back', () => {
    const reversed = Object.fromEntries(Object.entries(unsealed).reverse()) as UnsealedAuditEntry;
    expect(entryHash(reversed)).toBe(entryHash(unsealed));
  });

  it('changes with every field', () => {
    const changes: Partial<UnsealedAuditEntry>[] = [
      { sequence: 2 },
      { at: '2026-03-12T09:01:00.001Z' },
      { organisation: 'Gemeente Emmen' },
      { keyHash: 'f'.repeat(64) },
      { action: 'description-read' },
      { signalId: null },
      { purpose: 'Triage voor de weegtafel.' },
      { previousHash: '1'.repeat(64) },
      { decisionId: '11111111-1111-4111-8111-111111111111' },
    ];
    const hashes = new Set([entryHash(unsealed), ...changes.map((change) => entryHash({ ...unsealed, ...change }))]);
    expect(hashes.size).toBe(changes.length + 1);
  });

  it('cannot be fooled by moving text between fields, nor by an empty signal id for none', () => {
    const a = { ...unsealed, organisation: 'Meldpunt","Noord', purpose: 'x' };
    const b = { ...unsealed, organisation: 'Meldpunt', purpose: 'Noord","x' };
    expect(entryHash(a)).not.toBe(entryHash(b));
    expect(entryHash({ ...unsealed, signalId: null })).not.toBe(entryHash({ ...unsealed, signalId: '' }));
  });

  it('serialises an entry without a decisionId as before that field existed, and one with it with the id last', () => {
    expect(JSON.parse(canonicalEntry(unsealed))).toHaveLength(9);
    const decisionId = '11111111-1111-4111-8111-111111111111';
    expect(JSON.parse(canonicalEntry({ ...unsealed, decisionId }))).toEqual([...JSON.parse(canonicalEntry(unsealed)), decisionId]);
  });
});
