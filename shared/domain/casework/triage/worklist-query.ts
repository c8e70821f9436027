import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { dayAfter, geography, isCalendarDate, startOfDutchDay, UNKNOWN } from '#domain/kernel/index.js';
import { SIGNAL_STATUSES, type SignalStatus } from '#domain/signal/index.js';
import type { WorklistPosition } from './ports.js';

/** The most signals one worklist answer holds, and how many when `limit` is left out. */
export const MAX_WORKLIST_PAGE = 100;
export const DEFAULT_WORKLIST_PAGE = 25;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;

/**
 * The cursor to the next page: where the last page ended, as base64url. Opaque to a client, which only hands
 * it back; it moves the start of a read within the key's own region and area, nothing else.
 */
export const encodeCursor = (position: WorklistPosition) => Buffer.from(`${position.receivedAt}|${position.signalId}`, 'utf8').toString('base64url');

export function decodeCursor(cursor: string): WorklistPosition | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const [receivedAt = '', signalId = '', ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return rest.length === 0 && INSTANT.test(receivedAt) && UUID.test(signalId) ? { receivedAt, signalId } : undefined;
}

const STATUS_LIST = `Geef een of meer statussen, gescheiden door komma's: ${SIGNAL_STATUSES.join(', ')}.`;
const DATE = 'Geef een datum als JJJJ-MM-DD (een dag in Nederlandse tijd).';
const isStatus = (value: string): value is SignalStatus => (SIGNAL_STATUSES as readonly string[]).includes(value);

const dateParameter = (description: string) =>
  z.optional(z.string({ error: DATE }).check(z.refine(isCalendarDate, { error: DATE }), z.meta({ format: 'date', example: '2026-03-01', description })));

/**
 * The query string of GET /v1/triage/signals, strings as they came (a repeated `status` arrives joined by a
 * comma); every other parameter refused. `from` and `to` are days of receipt, in Dutch time: the table lists
 * what came in since its last meeting, and receipt is the order the list is read in, so a period costs no
 * filter (see shared/adapters/dynamodb/worklist-index.ts).
 */
export const WorklistQuerySchema = z.pipe(
  z
    .strictObject({
      status: z.optional(
        z.string({ error: STATUS_LIST }).check(
          z.refine((value) => value.split(',').every(isStatus), { error: STATUS_LIST }),
          z.meta({
            example: 'te-verrijken,in-beoordeling',
            description: `Een of meer statussen (komma's, of de parameter herhaald): ${SIGNAL_STATUSES.join(', ')}.`,
          }),
        ),
      ),
      province: z.optional(
        z.enum(geography.provinceCodes() as [string, ...string[]], { error: `Onbekende provincie; gebruik ${geography.provinceCodes().join(', ')}.` }),
      ),
      municipality: z.optional(
        z.enum(geography.municipalityCodes().concat(UNKNOWN) as [string, ...string[]], {
          error: 'Onbekende gemeentecode; gebruik een CBS-code (GMxxxx) uit de regio of "onbekend".',
        }),
      ),
      from: dateParameter('Ontvangen op of na deze dag.'),
      to: dateParameter('Ontvangen op of vóór deze dag (de hele dag).'),
      reviewDue: z.optional(
        z
          .enum(['true', 'false'], { error: 'reviewDue is true of false.' })
          .check(z.meta({ description: 'true: alleen signalen waarvan de vervolgdatum vandaag of eerder is en die niet afgesloten of ingetrokken zijn.' })),
      ),
      limit: z.optional(
        z.string().check(
          z.refine((l) => /^\d{1,3}$/.test(l) && Number(l) >= 1 && Number(l) <= MAX_WORKLIST_PAGE, {
            error: `Geef een aantal van 1 tot en met ${MAX_WORKLIST_PAGE}.`,
          }),
          z.meta({ example: '25', description: `Hoeveel signalen per antwoord; standaard ${DEFAULT_WORKLIST_PAGE}, hoogstens ${MAX_WORKLIST_PAGE}.` }),
        ),
      ),
      cursor: z.optional(
        z.string().check(
          z.refine((c) => decodeCursor(c) !== undefined, { error: 'Geef als cursor de waarde van next uit het vorige antwoord.' }),
          z.meta({ description: 'De waarde van next uit het vorige antwoord: de volgende bladzijde.' }),
        ),
      ),
    })
    .check(
      z.superRefine((q, ctx) => {
        if (q.from !== undefined && q.to !== undefined && isCalendarDate(q.from) && isCalendarDate(q.to) && q.to < q.from) {
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'to ligt vóór from.' });
        }
        const known = q.municipality === undefined ? undefined : geography.municipality(q.municipality);
        if (known && q.province !== undefined && known.province !== q.province) {
          ctx.addIssue({ code: 'custom', path: ['municipality'], message: `Gemeente ${known.name} ligt niet in provincie ${q.province}.` });
        }
      }),
    ),
  z.transform(
    (q): WorklistQuery => ({
      ...(q.status !== undefined && { statuses: [...new Set(q.status.split(','))] as SignalStatus[] }),
      ...(q.province !== undefined && { province: q.province }),
      ...(q.municipality !== undefined && { municipality: q.municipality }),
      ...(q.from !== undefined && { receivedFrom: startOfDutchDay(q.from) }),
      ...(q.to !== undefined && { receivedBefore: startOfDutchDay(dayAfter(q.to)) }),
      reviewDue: q.reviewDue === 'true',
      limit: q.limit === undefined ? DEFAULT_WORKLIST_PAGE : Number(q.limit),
      ...(q.cursor !== undefined && { after: decodeCursor(q.cursor)! }),
    }),
  ),
);

export interface WorklistQuery {
  statuses?: SignalStatus[];
  province?: string;
  municipality?: string;
  /** Received at or after this instant (the first of the `from` day in the Netherlands). */
  receivedFrom?: string;
  /** Received before this instant (the first of the day after `to`). */
  receivedBefore?: string;
  reviewDue: boolean;
  limit: number;
  after?: WorklistPosition;
}
