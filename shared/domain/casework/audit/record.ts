import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { AUDIT_ACTIONS } from './entry.js';
import { PurposeSchema } from './purpose.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What a caller of appendAudit says happened: who (organisation and the hash of their key, as the
 * partners table holds it), what, to which signal, and why. The log adds the sequence, the time and the
 * chain.
 */
export const AuditRecordSchema = z.strictObject({
  organisation: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  keyHash: z.string().check(z.regex(/^[0-9a-f]{64}$/, { error: 'keyHash is de SHA-256 van de sleutel (64 hexadecimale tekens), nooit de sleutel zelf.' })),
  action: z.enum(AUDIT_ACTIONS, { error: `Onbekende handeling; kies ${AUDIT_ACTIONS.join(', ')}.` }),
  signalId: z.optional(z.nullable(z.string().check(z.toLowerCase(), z.regex(UUID, { error: 'Een signalId is een UUID.' })))),
  /** The decision an entry is about (the note read), beside its signal; none for the other actions. */
  decisionId: z.optional(z.string().check(z.toLowerCase(), z.regex(UUID, { error: 'Een decisionId is een UUID.' }))),
  purpose: PurposeSchema,
});
export type AuditRecord = z.input<typeof AuditRecordSchema>;
