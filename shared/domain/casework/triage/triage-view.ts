import * as z from 'zod/mini';
import type { RepeatInfo } from '#domain/linking/index.js';
import {
  AGE_BANDS,
  CHANNELS,
  EXPLOITATION_FORMS,
  GENDERS,
  LEGAL_BASES,
  minorsOf,
  ROUTES,
  SECTORS,
  SIGNAL_STATUSES,
  SIGNAL_TYPES,
  type StoredSignal,
} from '#domain/signal/index.js';
import { AUDIT_ACTIONS, type AuditEntry } from '../audit/index.js';
import { ENRICHABLE, enrichedFieldsOf } from './enrichment.js';
import type { WorklistRow } from './worklist-row.js';

const described = <T extends z.ZodMiniType>(schema: T, description: string) => schema.check(z.meta({ description })) as T;
const date = (description: string) => z.string().check(z.meta({ format: 'date', description }));
const dateTime = (description: string) => z.string().check(z.meta({ format: 'date-time', description }));

/** "Eerder gesignaleerd": counts and a month, never who or which. */
export const RepeatViewSchema = z.object({
  earlierSignals: described(z.int(), 'Eerdere signalen over dezelfde persoon (op een van de pseudoniemen), ongeacht kanaal en organisatie.'),
  organisations: described(z.int(), 'Van hoeveel verschillende organisaties die eerdere signalen kwamen.'),
  since: z.optional(z.string().check(z.meta({ description: 'De maand (JJJJ-MM) van het vroegste eerdere signaal.', example: '2024-03' }))),
  complete: described(z.boolean(), 'false: er waren meer eerdere signalen dan gelezen; de aantallen zijn dan minstens deze.'),
});

/**
 * One signal as the triage table sees it: classification, status, channel and source, the person only as an
 * age band, gender and minors flag, the legal basis, the latest decision's routes and follow-up date, and
 * whether the person was signalled before. Never a pseudonym, a match key, encrypted text or a note.
 */
export const TriageSignalSchema = z.object({
  signalId: z.string().check(z.meta({ format: 'uuid' })),
  receivedAt: dateTime('Wanneer Meldroute het signaal ontving (UTC).'),
  observedAt: date('Wanneer het signaal werd waargenomen.'),
  status: z.enum(SIGNAL_STATUSES),
  channel: z.enum(CHANNELS),
  sourceType: z.string(),
  organisation: described(z.string(), 'De organisatie die het signaal meldde.'),
  signalType: z.enum(SIGNAL_TYPES),
  form: z.enum(EXPLOITATION_FORMS),
  additionalForms: z.array(z.enum(EXPLOITATION_FORMS)),
  municipality: described(z.string(), 'CBS-code van de gemeente, of onbekend.'),
  province: z.string(),
  exploitationMunicipality: z.optional(z.string()),
  sector: z.optional(z.enum(SECTORS)),
  ageBand: z.optional(z.enum(AGE_BANDS)),
  gender: z.optional(z.enum(GENDERS)),
  minors: described(z.enum(['ja', 'nee', 'onbekend']), 'Minderjarigen betrokken: uit de leeftijdsklasse, anders uit het antwoord op het meldformulier.'),
  legalBasis: z.optional(z.enum(LEGAL_BASES)),
  routes: described(z.array(z.enum(ROUTES)), 'De routes van het laatste besluit van de tafel; leeg zonder besluit.'),
  reviewOn: z.optional(date('De vervolgdatum van het laatste besluit.')),
  repeat: z.nullable(
    RepeatViewSchema.check(
      z.meta({ description: 'Eerder gesignaleerd; null als het signaal niemand noemt aan wie het te koppelen is (of nog niet of niet meer gekoppeld is).' }),
    ),
  ),
});
export type TriageSignal = z.infer<typeof TriageSignalSchema>;

/**
 * The view derives from what it names, field by field: whatever else the signal holds (pseudonyms, match
 * keys, encrypted text) has no way into it.
 */
export function triageSignalOf(signal: WorklistRow | StoredSignal, repeat: RepeatInfo | undefined): TriageSignal {
  const { ageBand, gender } = signal.subject ?? {};
  return {
    signalId: signal.signalId,
    receivedAt: signal.receivedAt,
    observedAt: signal.observedAt,
    status: signal.status,
    channel: signal.channel,
    sourceType: signal.sourceType,
    organisation: signal.organisation,
    signalType: signal.signalType,
    form: signal.form,
    additionalForms: [...(signal.additionalForms ?? [])],
    municipality: signal.municipality,
    province: signal.province,
    ...(signal.exploitationMunicipality !== undefined && { exploitationMunicipality: signal.exploitationMunicipality }),
    ...(signal.sector !== undefined && { sector: signal.sector }),
    ...(ageBand !== undefined && { ageBand }),
    ...(gender !== undefined && { gender }),
    minors: minorsOf(signal),
    ...(signal.legalBasis !== undefined && { legalBasis: signal.legalBasis }),
    routes: [...(signal.routes ?? [])],
    ...(signal.reviewOn !== undefined && { reviewOn: signal.reviewOn }),
    repeat: repeat
      ? { earlierSignals: repeat.earlierSignals, organisations: repeat.organisations, ...(repeat.since && { since: repeat.since }), complete: repeat.complete }
      : null,
  };
}

/** One decision of the table as the history shows it: its note, encrypted, only as whether there is one. */
export const DecisionViewSchema = z.object({
  decisionId: z.string().check(z.meta({ format: 'uuid' })),
  routes: z.array(z.enum(ROUTES)),
  decidedOn: date('De datum van de vergadering.'),
  reviewOn: z.optional(date('De vervolgdatum.')),
  recordedAt: dateTime('Wanneer het besluit werd vastgelegd.'),
  organisation: z.string(),
  hasNote: described(
    z.boolean(),
    'Of er een (versleutelde) notitie bij is; de notitie zelf staat hier niet: lees die met GET …/decisions/{decisionId}/note?purpose=….',
  ),
});

/** One look at or change of the signal, from the audit log: when, by which organisation, what. */
export const HistoryEventSchema = z.object({
  at: dateTime('Wanneer (UTC).'),
  organisation: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  fields: z.optional(described(z.array(z.enum(ENRICHABLE)), 'Bij een verrijking: welke velden veranderden (nooit hun waarden).')),
});

/** Events shown at most; the privacy officer reads every one in GET /v1/audit. */
export const MAX_HISTORY_EVENTS = 500;

/** A signal with its history: the version, the decisions (oldest first) and the audit log's entries about it. */
export const TriageSignalDetailSchema = z.object({
  ...TriageSignalSchema.shape,
  version: described(z.int(), 'Elke wijziging verhoogt de versie.'),
  changedAt: z.optional(dateTime('Wanneer het signaal het laatst veranderde.')),
  erasedAt: z.optional(dateTime('Wanneer de persoonsgegevens van het signaal zijn gewist.')),
  hasDescription: described(z.boolean(), 'Of er vrije tekst is; lees die met GET …/description?purpose=….'),
  decisions: z.array(DecisionViewSchema),
  history: z.array(HistoryEventSchema),
  historyComplete: described(z.boolean(), `false: er zijn meer dan ${MAX_HISTORY_EVENTS} gebeurtenissen; GET /v1/audit?signalId=… geeft ze alle.`),
});
export type TriageSignalDetail = z.infer<typeof TriageSignalDetailSchema>;

export function triageSignalDetailOf(
  signal: StoredSignal,
  repeat: RepeatInfo | undefined,
  events: readonly AuditEntry[],
  complete: boolean,
): TriageSignalDetail {
  return {
    ...triageSignalOf(signal, repeat),
    version: signal.version,
    ...(signal.changedAt !== undefined && { changedAt: signal.changedAt }),
    ...(signal.erasedAt !== undefined && { erasedAt: signal.erasedAt }),
    hasDescription: signal.description !== undefined,
    decisions: (signal.decisions ?? []).map((d) => ({
      decisionId: d.decisionId,
      routes: [...d.routes],
      decidedOn: d.decidedOn,
      ...(d.reviewOn !== undefined && { reviewOn: d.reviewOn }),
      recordedAt: d.recordedAt,
      organisation: d.organisation,
      hasNote: d.note !== undefined,
    })),
    // Not the key's hash nor the purpose: the table needs who and what, the privacy officer the rest.
    history: events.map((e) => ({
      at: e.at,
      organisation: e.organisation,
      action: e.action,
      ...(e.action === 'enrichment' && { fields: enrichedFieldsOf(e.purpose) }),
    })),
    historyComplete: complete,
  };
}
