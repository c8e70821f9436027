import * as z from 'zod/mini';

/**
 * What an entry records: a read of a signal or of its free text, an enrichment, a decision of the table,
 * an erasure, a read of a decision's note. Only ever extended at the end; an entry's action is part of its hash.
 */
export const AUDIT_ACTIONS = ['signal-read', 'description-read', 'enrichment', 'decision', 'erasure', 'note-read'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The previousHash of a log's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (description: string) => z.string().check(z.regex(/^[0-9a-f]{64}$/), z.meta({ description }));

/** One entry of the audit log, as stored and as GET /v1/audit answers it: never a key, only its hash. */
export const AuditEntrySchema = z.object({
  sequence: z.int().check(z.positive(), z.meta({ description: 'Volgnummer in het logboek: 1, 2, 3, … zonder gaten.' })),
  at: z.string().check(z.meta({ format: 'date-time', description: 'Wanneer (UTC); nooit eerder dan het vorige item.' })),
  organisation: z.string().check(z.meta({ description: 'De organisatie van de sleutel die keek of handelde.' })),
  keyHash: sha256('SHA-256 van de API-sleutel, zoals in de partnertabel; nooit de sleutel zelf.'),
  action: z.enum(AUDIT_ACTIONS),
  signalId: z.nullable(z.string().check(z.meta({ format: 'uuid' }))),
  decisionId: z.optional(
    z.string().check(z.meta({ format: 'uuid', description: 'Het besluit waarover het gaat (bij note-read: wiens notitie gelezen werd).' })),
  ),
  purpose: z.string().check(z.meta({ description: 'Het doel dat de gebruiker opgaf; zonder persoonsgegevens.' })),
  previousHash: sha256('De hash van het vorige item; 64 nullen bij het eerste.'),
  hash: sha256('SHA-256 over alle andere velden, previousHash inbegrepen.'),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** An entry before it is sealed: everything but its hash. */
export type UnsealedAuditEntry = Omit<AuditEntry, 'hash'>;

/** Where a log stands: its last entry's sequence, hash and time; an empty log is at 0, GENESIS_HASH, null. */
export interface AuditHead {
  sequence: number;
  hash: string;
  at: string | null;
}

export const EMPTY_HEAD: AuditHead = { sequence: 0, hash: GENESIS_HASH, at: null };
