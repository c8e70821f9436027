import * as z from 'zod';
import { EXPLOITATION_FORMS, GENDERS, SECTORS, SIGNAL_TYPES } from './classification.js';

export const CHANNELS = ['api', 'web', 'email'] as const;
/** `ingetrokken` (withdrawn) signals are kept but not counted; `te-verrijken` awaits enrichment and counts. */
export const SIGNAL_STATUSES = ['ontvangen', 'te-verrijken', 'ingetrokken'] as const;
export const AGE_BANDS = ['0-11', '12-17', '18-22', '23-29', '30-39', '40-49', '50-64', '65+'] as const;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

export const EncryptedTextSchema = z.strictObject({
  alg: z.literal('AES-256-GCM'),
  keyId: z.string().min(1),
  encryptedDataKey: base64,
  iv: base64,
  ciphertext: base64,
  tag: base64,
});
export type EncryptedText = z.infer<typeof EncryptedTextSchema>;

const pseudonym = z.string().regex(/^[a-f0-9]{64}$/);

export const PseudonymisedSubjectSchema = z.strictObject({
  keyId: z.string().min(1),
  pseudonyms: z.strictObject({
    bsn: pseudonym.optional(),
    nameDateOfBirth: pseudonym.optional(),
    name: pseudonym.optional(),
    phone: pseudonym.optional(),
    email: pseudonym.optional(),
  }),
  minor: z.boolean().optional(),
  ageBand: z.enum(AGE_BANDS).optional(),
  gender: z.enum(GENDERS).optional(),
  nationality: z.string().regex(/^[A-Z]{2}$/).optional(),
});
export type PseudonymisedSubject = z.infer<typeof PseudonymisedSubjectSchema>;

/**
 * A signal as it travels on the queue and rests in the table: identifiers only as keyed pseudonyms,
 * free text only encrypted. Strict, so nothing unforeseen slips through.
 */
export const SignalRecordSchema = z.strictObject({
  schemaVersion: z.literal(1),
  signalId: z.uuid(),
  receivedAt: z.iso.datetime(),
  organisation: z.string().min(1),
  sourceType: z.string().min(1),
  channel: z.enum(CHANNELS),
  region: z.string().min(1),
  externalRef: pseudonym.optional(),
  observedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  municipality: z.string().min(1),
  province: z.string().min(1),
  exploitationMunicipality: z.string().min(1).optional(),
  form: z.enum(EXPLOITATION_FORMS),
  additionalForms: z.array(z.enum(EXPLOITATION_FORMS)).optional(),
  signalType: z.enum(SIGNAL_TYPES),
  status: z.enum(SIGNAL_STATUSES),
  sector: z.enum(SECTORS).optional(),
  subject: PseudonymisedSubjectSchema.optional(),
  description: EncryptedTextSchema.optional(),
});
export type SignalRecord = z.infer<typeof SignalRecordSchema>;

/** What the store adds: a version that every change raises, so the aggregator can tell new from replayed. */
export type StoredSignal = SignalRecord & { version: number; expiresAt?: number };
