import * as z from 'zod/mini';
import { EXPLOITATION_FORMS, GENDERS, SECTORS, SIGNAL_TYPES } from './classification.js';

export const CHANNELS = ['api', 'web', 'email'] as const;
/**
 * Where a signal stands at the regional table. `ingetrokken` (withdrawn) signals are kept but not counted;
 * every other status counts. `te-verrijken` awaits enrichment, `in-beoordeling` is on the table's list,
 * `besproken` has a decision, `afgesloten` needs nothing more. The moves allowed between them, the table's
 * and the filing partner's, live in status-moves.ts.
 */
export const SIGNAL_STATUSES = ['ontvangen', 'te-verrijken', 'in-beoordeling', 'besproken', 'afgesloten', 'ingetrokken'] as const;
export type SignalStatus = (typeof SIGNAL_STATUSES)[number];
/** The routes the regional table can decide on; several may run at once. */
export const ROUTES = ['zorg', 'zorg-en-strafrecht', 'riec', 'advies', 'geen-vervolg'] as const;
export type Route = (typeof ROUTES)[number];
/** The ground on which the reporting organisation shares the signal (AVG art. 6), per partner entry or per signal. */
export const LEGAL_BASES = ['meldcode', 'wettelijke-taak', 'toestemming', 'gerechtvaardigd-belang'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export const AGE_BANDS = ['0-11', '12-17', '18-22', '23-29', '30-39', '40-49', '50-64', '65+'] as const;
/** The web form's question whether minors seem involved. */
export const MINORS_ANSWERS = ['ja', 'nee', 'weet-niet'] as const;

const base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]*={0,2}$/));

export const EncryptedTextSchema = z.strictObject({
  alg: z.literal('AES-256-GCM'),
  keyId: z.string().check(z.minLength(1)),
  encryptedDataKey: base64,
  iv: base64,
  ciphertext: base64,
  tag: base64,
});
export type EncryptedText = z.infer<typeof EncryptedTextSchema>;

const pseudonym = z.string().check(z.regex(/^[a-f0-9]{64}$/));

/** The identifiers a person is recognised by when signals are linked; a name alone is not one (too many people share it). */
export const MATCH_KINDS = ['bsn', 'nameDateOfBirth', 'phone', 'email'] as const;

/** One identifier's pseudonym under a named key, for linking only. */
export const MatchKeySchema = z.strictObject({ keyId: z.string().check(z.minLength(1)), kind: z.enum(MATCH_KINDS), pseudonym });
export type MatchKey = z.infer<typeof MatchKeySchema>;
/** Match keys a record may carry: four kinds under each of sixteen previous keys (a rotation a year keeps five or six). */
export const MAX_MATCH_KEYS = 64;

export const PseudonymisedSubjectSchema = z.strictObject({
  keyId: z.string().check(z.minLength(1)),
  pseudonyms: z.strictObject({
    bsn: z.optional(pseudonym),
    nameDateOfBirth: z.optional(pseudonym),
    name: z.optional(pseudonym),
    phone: z.optional(pseudonym),
    email: z.optional(pseudonym),
  }),
  /**
   * The same identifiers under the pseudonymisation keys rotated out (`previous`), made at intake while the
   * plain values were at hand, so that a person signalled before a rotation is still linked (see
   * #domain/linking). For look-up only: never shown.
   */
  matchKeys: z.optional(z.array(MatchKeySchema).check(z.maxLength(MAX_MATCH_KEYS))),
  minor: z.optional(z.boolean()),
  ageBand: z.optional(z.enum(AGE_BANDS)),
  gender: z.optional(z.enum(GENDERS)),
  nationality: z.optional(z.string().check(z.regex(/^[A-Z]{2}$/))),
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
  organisation: z.string().check(z.minLength(1)),
  sourceType: z.string().check(z.minLength(1)),
  channel: z.enum(CHANNELS),
  region: z.string().check(z.minLength(1)),
  externalRef: z.optional(pseudonym),
  observedAt: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  municipality: z.string().check(z.minLength(1)),
  province: z.string().check(z.minLength(1)),
  exploitationMunicipality: z.optional(z.string().check(z.minLength(1))),
  form: z.enum(EXPLOITATION_FORMS),
  additionalForms: z.optional(z.array(z.enum(EXPLOITATION_FORMS))),
  signalType: z.enum(SIGNAL_TYPES),
  status: z.enum(SIGNAL_STATUSES),
  sector: z.optional(z.enum(SECTORS)),
  subject: z.optional(PseudonymisedSubjectSchema),
  /** A web reporter's own contact details, pseudonymised apart from the subject's (other labels). */
  reporter: z.optional(
    z.strictObject({
      keyId: z.string().check(z.minLength(1)),
      pseudonyms: z.strictObject({ name: z.optional(pseudonym), phone: z.optional(pseudonym), email: z.optional(pseudonym) }),
    }),
  ),
  minorsSuspected: z.optional(z.enum(MINORS_ANSWERS)),
  description: z.optional(EncryptedTextSchema),
  /** The ground for sharing: stated by the API per signal, else the partner entry's. */
  legalBasis: z.optional(z.enum(LEGAL_BASES)),
});
export type SignalRecord = z.infer<typeof SignalRecordSchema>;

const isoDate = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/));

/** One decision of the regional table. A later one supersedes it; the list keeps the history. */
export const DecisionSchema = z.strictObject({
  decisionId: z.uuid(),
  routes: z.array(z.enum(ROUTES)).check(z.minLength(1)),
  /** The date of the meeting. */
  decidedOn: isoDate,
  /** The follow-up date, when the table wants to see the signal again. */
  reviewOn: z.optional(isoDate),
  /** Encrypted like the description. */
  note: z.optional(EncryptedTextSchema),
  recordedAt: z.iso.datetime(),
  organisation: z.string().check(z.minLength(1)),
});
export type Decision = z.infer<typeof DecisionSchema>;

/**
 * What the casework adds to a stored signal (never on the queue): the table's decisions (newest last), when
 * it last changed (retention counts from there) and when its personal data were erased.
 */
export interface Casework {
  decisions?: Decision[];
  /** The latest decision's routes and follow-up date, kept beside the list for counting and for the worklist. */
  routes?: Route[];
  reviewOn?: string;
  changedAt?: string;
  erasedAt?: string;
  /**
   * Where the signal stands among its person's signals by arrival (#domain/linking personStanding), set
   * once after linking; absent when it named nobody (or is not linked yet). Counted as person and signalledBefore.
   */
  person?: PersonStanding;
}

/** Whether a signal of the same person was received before this one: at all, and observed in this one's year. */
export interface PersonStanding {
  signalledBefore: boolean;
  earlierInYear: boolean;
}

/** What the store adds: a version that every change raises, so the aggregator can tell new from replayed. */
export type StoredSignal = SignalRecord & Casework & { version: number; expiresAt?: number };

/** A signal as it rests in the signals table, as the aggregator, the recount and the casework read it. */
export const StoredSignalSchema = z.extend(SignalRecordSchema, {
  version: z.int().check(z.positive()),
  expiresAt: z.optional(z.number()),
  decisions: z.optional(z.array(DecisionSchema)),
  routes: z.optional(z.array(z.enum(ROUTES))),
  reviewOn: z.optional(isoDate),
  changedAt: z.optional(z.iso.datetime()),
  erasedAt: z.optional(z.iso.datetime()),
  person: z.optional(z.strictObject({ signalledBefore: z.boolean(), earlierInYear: z.boolean() })),
});
