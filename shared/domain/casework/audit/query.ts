import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { isCalendarDate, todayInNetherlands } from '#domain/kernel/index.js';
import { type AuditEntry, AuditEntrySchema } from './entry.js';
import type { AuditLogReader } from './ports.js';

/** The most entries one answer holds, and how many when `limit` is left out. */
export const MAX_AUDIT_PAGE = 500;
export const DEFAULT_AUDIT_PAGE = 100;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const HOUR = 3_600_000;

const INSTANT = 'Geef een datum (JJJJ-MM-DD, een dag in Nederlandse tijd) of een tijdstip met tijdzone (bijvoorbeeld 2026-03-12T09:30:00Z).';

function isInstant(value: string): boolean {
  if (DATE.test(value)) return isCalendarDate(value);
  const match = TIMESTAMP.exec(value);
  return match !== null && isCalendarDate(match[1]!) && !Number.isNaN(Date.parse(value));
}

/** Where a day in the Netherlands begins: UTC+1 or +2, changed at night and never at midnight. */
function startOfDutchDay(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  return todayInNetherlands(new Date(midnightUtc - 2 * HOUR)) === date ? midnightUtc - 2 * HOUR : midnightUtc - HOUR;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);

/** The first instant of `from`: a date's first moment in the Netherlands, or the time itself. */
const fromInstant = (from: string) => new Date(DATE.test(from) ? startOfDutchDay(from) : Date.parse(from)).toISOString();
/** The first instant after `to`: a date is included whole, a time to its millisecond. */
const beforeInstant = (to: string) => new Date(DATE.test(to) ? startOfDutchDay(nextDay(to)) : Date.parse(to) + 1).toISOString();

const instant = (example: string, description: string) =>
  z.optional(z.string({ error: INSTANT }).check(z.refine(isInstant, { error: INSTANT }), z.meta({ example, description })));

/**
 * The query string of GET /v1/audit: the entries about one signal (`signalId`), or those of a period
 * (`from`, and `to` or until now), a page at a time (`limit`, and `cursor` from the answer before). Strings
 * as they came; every other parameter refused.
 */
export const AuditQuerySchema = z.pipe(
  z
    .strictObject({
      signalId: z.optional(
        z.string().check(z.regex(UUID, { error: 'signalId is een UUID.' }), z.meta({ format: 'uuid', description: 'Alle items over dit signaal.' })),
      ),
      from: instant('2026-03-01', 'Begin van de periode: een datum (vanaf het begin van die dag, Nederlandse tijd) of een tijdstip.'),
      to: instant('2026-03-31', 'Eind van de periode, inbegrepen: een datum (de hele dag) of een tijdstip; standaard nu.'),
      cursor: z.optional(
        z
          .string()
          .check(
            z.regex(/^[1-9]\d{0,14}$/, { error: 'Geef als cursor de waarde van next uit het vorige antwoord.' }),
            z.meta({ description: 'De waarde van next uit het vorige antwoord: de volgende bladzijde.' }),
          ),
      ),
      limit: z.optional(
        z.string().check(
          z.refine((l) => /^\d{1,3}$/.test(l) && Number(l) >= 1 && Number(l) <= MAX_AUDIT_PAGE, {
            error: `Geef een aantal van 1 tot en met ${MAX_AUDIT_PAGE}.`,
          }),
          z.meta({ example: '100', description: `Hoeveel items per antwoord; standaard ${DEFAULT_AUDIT_PAGE}, hoogstens ${MAX_AUDIT_PAGE}.` }),
        ),
      ),
    })
    .check(
      z.superRefine((q, ctx) => {
        if (q.signalId !== undefined && (q.from !== undefined || q.to !== undefined)) {
          ctx.addIssue({ code: 'custom', path: ['signalId'], message: 'Geef signalId, of een periode met from en to, niet allebei.' });
        } else if (q.signalId === undefined && q.from === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: q.to === undefined ? ['signalId'] : ['from'],
            message: q.to === undefined ? 'Geef een signalId, of een periode met from (en to).' : 'Geef bij to ook from.',
          });
        } else if (q.from !== undefined && q.to !== undefined && isInstant(q.from) && isInstant(q.to) && beforeInstant(q.to) <= fromInstant(q.from)) {
          ctx.addIssue({ code: 'custom', path: ['to'], message: 'to ligt vóór from.' });
        }
      }),
    ),
  z.transform(({ signalId, from, to, cursor, limit }): AuditQuery => {
    const page = { after: cursor === undefined ? 0 : Number(cursor), limit: limit === undefined ? DEFAULT_AUDIT_PAGE : Number(limit) };
    if (signalId !== undefined) return { ...page, signalId: signalId.toLowerCase() };
    return { ...page, from: fromInstant(from!), ...(to !== undefined && { before: beforeInstant(to) }) };
  }),
);

export type AuditQuery = { after: number; limit: number } & ({ signalId: string } | { from: string; before?: string });

/** One page of GET /v1/audit: entries in order of sequence, and the cursor to the next page (null at the end). */
export const AuditPageSchema = z.object({
  entries: z.array(AuditEntrySchema),
  next: z.nullable(z.string().check(z.meta({ description: 'Geef dit als cursor voor de volgende bladzijde; null: dit was de laatste.' }))),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;

/**
 * Reads one page. A period is one run of sequences (an entry is never made before the one before it), so
 * it is read from its first entry on, in order, until the first entry after it. One more entry than the
 * page is asked for, to know whether another page follows.
 */
export async function readAudit(query: AuditQuery, reader: AuditLogReader): Promise<AuditPage> {
  let rows: AuditEntry[];
  if ('signalId' in query) {
    rows = await reader.signalEntriesAfter(query.signalId, query.after, query.limit + 1);
  } else {
    const first = await reader.firstSequenceFrom(query.from);
    if (first === undefined) return { entries: [], next: null };
    const before = query.before;
    rows = await reader.entriesAfter(Math.max(query.after, first - 1), query.limit + 1);
    const end = before === undefined ? -1 : rows.findIndex((entry) => entry.at >= before);
    if (end >= 0) rows = rows.slice(0, end);
  }
  const entries = rows.slice(0, query.limit);
  return { entries, next: rows.length > query.limit ? String(entries.at(-1)!.sequence) : null };
}
