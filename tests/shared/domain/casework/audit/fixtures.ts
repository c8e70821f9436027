import { createHash } from 'node:crypto';
import { type AuditAction, type AuditEntry, type AuditRecord, GENESIS_HASH, sealEntry } from '#domain/casework/index.js';

export const KEY_HASH = createHash('sha256').update('mr_test_triage-key').digest('hex');
export const SIGNAL = '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c';
export const OTHER_SIGNAL = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

export const record = (overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  organisation: 'Meldpunt Noord-Nederland',
  keyHash: KEY_HASH,
  action: 'signal-read',
  signalId: SIGNAL,
  purpose: 'Triage voor de weegtafel van dinsdag',
  ...overrides,
});

const ACTIONS: AuditAction[] = ['signal-read', 'description-read', 'enrichment', 'decision', 'erasure'];

/** A sound chain of `n` entries, a minute apart from 2026-03-12 09:00 UTC. */
export function chain(n: number): AuditEntry[] {
  const entries: AuditEntry[] = [];
  let previousHash = GENESIS_HASH;
  for (let sequence = 1; sequence <= n; sequence++) {
    const entry = sealEntry({
      sequence,
      at: new Date(Date.UTC(2026, 2, 12, 9, sequence)).toISOString(),
      organisation: 'Meldpunt Noord-Nederland',
      keyHash: KEY_HASH,
      action: ACTIONS[sequence % ACTIONS.length]!,
      signalId: sequence % 3 === 0 ? null : SIGNAL,
      purpose: `Behandeling stap ${sequence}`,
      previousHash,
    });
    entries.push(entry);
    previousHash = entry.hash;
  }
  return entries;
}
