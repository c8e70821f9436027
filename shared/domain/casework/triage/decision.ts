import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { isCalendarDate, type Problem, problem, todayInNetherlands } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { encryptText } from '#domain/privacy/index.js';
import { type Decision, type EncryptedText, ROUTES, type StoredSignal } from '#domain/signal/index.js';
import { type ChangePlan, type ChangeResult, changeAudited } from './audited-change.js';
import { DECIDABLE_STATUSES, decisionProblem } from './status-transitions.js';
import type { DecisionViewSchema } from './triage-view.js';
import type { TriageWritePorts } from './write-ports.js';

/** The longest note, in characters: a few paragraphs of the table's reasoning. */
export const MAX_NOTE_LENGTH = 4_000;
const EARLIEST_DATE = '2000-01-01';

const DATE_MESSAGE = 'Geef een datum als JJJJ-MM-DD.';
const date = (description: string) =>
  z.string({ error: DATE_MESSAGE }).check(z.refine(isCalendarDate, { error: DATE_MESSAGE }), z.meta({ format: 'date', description }));

/**
 * One decision of the regional table, as the API takes it: the routes (one or more, each once), the date of
 * the meeting (not in the future), an optional follow-up date after it and an optional note, which is
 * stored only encrypted and answered only by the note read on a stated purpose (note-read.ts).
 */
export const DecisionInputSchema = z
  .strictObject({
    routes: z.array(z.enum(ROUTES, { error: `Kies routes uit: ${ROUTES.join(', ')}.` })).check(
      z.minLength(1, { error: 'Kies minstens één route.' }),
      z.refine((routes) => new Set(routes).size === routes.length, { error: 'Noem elke route één keer.' }),
      z.meta({ description: 'De route(s) waartoe de tafel besloot; meer tegelijk kan.' }),
    ),
    decidedOn: date('De datum van de vergadering van de tafel; niet in de toekomst.').check(
      z.refine((d) => !isCalendarDate(d) || d >= EARLIEST_DATE, { error: 'Een besluit is niet van vóór 2000.' }),
      z.refine((d) => !isCalendarDate(d) || d <= todayInNetherlands(), { error: 'De vergaderdatum ligt in de toekomst.' }),
    ),
    reviewOn: z.optional(date('De vervolgdatum: wanneer de tafel de melding terug wil zien; na decidedOn.')),
    note: z.optional(
      z.string().check(
        z.maxLength(MAX_NOTE_LENGTH, { error: `Een notitie is hoogstens ${MAX_NOTE_LENGTH} tekens.` }),
        z.refine((note) => note.trim().length > 0, { error: 'Een notitie is niet leeg; laat het veld anders weg.' }),
        // A lone surrogate (JSON's \ud800) cannot be stored as UTF-8: it would silently become U+FFFD.
        z.refine((note) => !/\p{Cs}/u.test(note), { error: 'De notitie bevat een ongeldig teken.' }),
        z.meta({
          description: `Vrije tekst van de tafel, hoogstens ${MAX_NOTE_LENGTH} tekens; alleen versleuteld bewaard, en alleen terug te lezen met een doel (GET …/decisions/{decisionId}/note).`,
        }),
      ),
    ),
  })
  .check(
    z.superRefine((d, ctx) => {
      if (d.reviewOn !== undefined && isCalendarDate(d.reviewOn) && isCalendarDate(d.decidedOn) && d.reviewOn <= d.decidedOn) {
        ctx.addIssue({ code: 'custom', path: ['reviewOn'], message: 'De vervolgdatum ligt na de vergaderdatum.' });
      }
    }),
  );
export type DecisionInput = z.output<typeof DecisionInputSchema>;

export type DecisionView = z.infer<typeof DecisionViewSchema>;

/** A decision as the API answers it: the note only as whether there is one. */
export function decisionView(decision: Decision): DecisionView {
  return {
    decisionId: decision.decisionId,
    routes: [...decision.routes],
    decidedOn: decision.decidedOn,
    ...(decision.reviewOn !== undefined && { reviewOn: decision.reviewOn }),
    recordedAt: decision.recordedAt,
    organisation: decision.organisation,
    hasNote: decision.note !== undefined,
  };
}

/**
 * The decision's id for a client's Idempotency-Key: the same key for the same signal from the same
 * organisation is the same decision, so a retry finds it in the signal's decisions, written with it in one
 * update. A UUID of version 8 (its bits the SHA-256's), as the record's schema takes any UUID.
 */
export function decisionIdFor(signalId: string, organisation: string, idempotencyKey: string): string {
  const bytes = createHash('sha256').update(['meldroute-decision-v1', signalId, organisation, idempotencyKey].join('\u0000'), 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Whether a recorded decision is the one a retry asks for. The note is compared by presence only: its text is encrypted. */
const sameDecision = (recorded: Decision, input: DecisionInput) =>
  [...recorded.routes].sort().join() === [...input.routes].sort().join() &&
  recorded.decidedOn === input.decidedOn &&
  recorded.reviewOn === input.reviewOn &&
  (recorded.note !== undefined) === (input.note !== undefined);

const invalid = (field: string, message: string): Problem =>
  problem(422, 'validation', 'Ongeldige invoer', message, [{ pointer: `/${field}`, detail: message }]);

export interface DecisionRequest {
  signalId: string;
  input: DecisionInput;
  principal: Principal;
  idempotencyKey?: string | undefined;
  ifMatch?: string | undefined;
}

/** What a decision answers: the decision, and whether it was recorded now or by an earlier try. */
export interface RecordedDecision {
  decision: DecisionView;
  replayed: boolean;
}

/**
 * POST /v1/triage/signals/{signalId}/decisions: records one decision of the table on a signal in the key's
 * area, with its audit entry. The decision is appended to the signal's decisions and supersedes the one
 * before: the signal's routes and follow-up date become this decision's (a decision without a follow-up
 * date removes the earlier one), and its status `besproken`. A decision is never of a meeting before the
 * latest decision's, nor before the signal was received.
 *
 * With an Idempotency-Key a retry is answered with the decision recorded the first time, and records
 * nothing (a 409 when the key was used for another decision); without one, every request is a decision.
 */
export function recordDecision(request: DecisionRequest, ports: TriageWritePorts): Promise<ChangeResult<RecordedDecision>> {
  const { signalId, input, principal, idempotencyKey } = request;
  const decisionId = idempotencyKey !== undefined ? decisionIdFor(signalId, principal.organisation, idempotencyKey) : (ports.newId ?? randomUUID)();
  // Encrypted once, however often the write is tried: a fresh data key per note.
  let sealedNote: Promise<EncryptedText> | undefined;
  const encryptNote = (note: string) => {
    if (!ports.dataKeys) throw new Error('recordDecision needs data keys to encrypt a note');
    sealedNote ??= encryptText(note, ports.dataKeys);
    return sealedNote;
  };

  return changeAudited<RecordedDecision>(signalId, principal, request.ifMatch, ports, async (signal, now): Promise<ChangePlan<RecordedDecision>> => {
    const decisions = signal.decisions ?? [];
    const earlier = decisions.find((d) => d.decisionId === decisionId);
    if (earlier) {
      if (!sameDecision(earlier, input)) {
        return {
          outcome: 'refused',
          problem: problem(409, 'conflict', 'Conflict', 'Deze Idempotency-Key is al gebruikt voor een ander besluit over deze melding.'),
        };
      }
      return { outcome: 'replayed', result: { decision: decisionView(earlier), replayed: true } };
    }
    if (!DECIDABLE_STATUSES.includes(signal.status)) return { outcome: 'refused', problem: decisionProblem(signal.status) };
    const latest = decisions.at(-1);
    if (latest && input.decidedOn < latest.decidedOn) {
      return {
        outcome: 'refused',
        problem: invalid('decidedOn', `Het laatste besluit is van ${latest.decidedOn}; een besluit van een eerdere vergadering kan het niet vervangen.`),
      };
    }
    const receivedOn = todayInNetherlands(new Date(signal.receivedAt));
    if (input.decidedOn < receivedOn)
      return { outcome: 'refused', problem: invalid('decidedOn', `De melding kwam binnen op ${receivedOn}; de vergaderdatum ligt daarvoor.`) };

    const decision: Decision = {
      decisionId,
      routes: [...input.routes],
      decidedOn: input.decidedOn,
      ...(input.reviewOn !== undefined && { reviewOn: input.reviewOn }),
      ...(input.note !== undefined && { note: await encryptNote(input.note) }),
      recordedAt: now.toISOString(),
      organisation: principal.organisation,
    };
    const changes: Partial<StoredSignal> = {
      decisions: [...decisions, decision],
      routes: decision.routes,
      status: 'besproken',
      ...(decision.reviewOn !== undefined && { reviewOn: decision.reviewOn }),
    };
    return {
      outcome: 'change',
      changes,
      remove: decision.reviewOn === undefined && signal.reviewOn !== undefined ? ['reviewOn'] : [],
      action: 'decision',
      purpose: `besluit van de tafel: ${decision.routes.join(', ')}`,
      result: { decision: decisionView(decision), replayed: false },
    };
  });
}
