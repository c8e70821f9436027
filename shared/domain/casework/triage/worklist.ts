import * as z from 'zod/mini';
import { mapLimited, todayInNetherlands } from '#domain/kernel/index.js';
import { type LinkIndex, type RepeatInfo, repeatInfo } from '#domain/linking/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { SignalStatus } from '#domain/signal/index.js';
import { inArea } from './area.js';
import type { WorklistFilter, WorklistIndex, WorklistPosition } from './ports.js';
import { type TriageSignal, TriageSignalSchema, triageSignalOf } from './triage-view.js';
import type { WorklistQuery } from './worklist-query.js';
import { encodeCursor } from './worklist-query.js';
import type { WorklistRow } from './worklist-row.js';

/** A follow-up date is due while the signal is still open: a closed or withdrawn one needs no follow-up. */
const CLOSED: readonly SignalStatus[] = ['afgesloten', 'ingetrokken'];

/**
 * Bounds on one answer's reads. A filter is applied after DynamoDB has read the signals, so a page may need
 * more than one read: the first reads limit + 1 signals (without a filter exactly a page, and whether one
 * follows), each next four times as many, at most MAX_EVALUATE_PER_READ, at most MAX_READS in all. What a
 * request costs is bounded by that: at most 3 505 rows (limit 100; 2 546 with the default 25) of some 0.4 KB
 * in the index, under 200 read units; a page it could not fill comes back short with `next` set, and the
 * client reads on.
 */
export const MAX_READS = 5;
export const MAX_EVALUATE_PER_READ = 1_000;
/** Repeat look-ups run at once, at most; each is a few small reads of the link index. */
const REPEAT_CONCURRENCY = 8;

export interface WorklistPorts {
  worklist: WorklistIndex;
  links: LinkIndex;
  now?: () => Date;
}

export const WorklistPageSchema = z.object({
  signals: z.array(TriageSignalSchema),
  next: z.nullable(
    z
      .string()
      .check(z.meta({ description: 'Geef dit als cursor voor de volgende bladzijde; null: dit was de laatste. Een bladzijde kan korter zijn dan limit.' })),
  ),
});
export type WorklistPage = z.infer<typeof WorklistPageSchema>;

/**
 * What the query asks within the key's area: its province narrows the key's region, a key bound to a
 * province sees that province only. Undefined when the two exclude each other (nothing to read).
 */
export function worklistFilter(query: WorklistQuery, principal: Pick<Principal, 'province'>, today: string): WorklistFilter | undefined {
  if (principal.province !== undefined && query.province !== undefined && query.province !== principal.province) return undefined;
  const province = principal.province ?? query.province;
  return {
    ...(query.statuses && { statuses: query.statuses }),
    ...(province !== undefined && { province }),
    ...(query.municipality !== undefined && { municipality: query.municipality }),
    ...(query.reviewDue && { reviewDueBy: today }),
  };
}

/** Whether a row meets the filter; the same rule the adapter's filter expression states. */
export function matchesWorklist(row: WorklistRow, filter: WorklistFilter): boolean {
  if (filter.statuses && !filter.statuses.includes(row.status)) return false;
  if (filter.province !== undefined && row.province !== filter.province) return false;
  if (filter.municipality !== undefined && row.municipality !== filter.municipality) return false;
  if (filter.reviewDueBy !== undefined && (row.reviewOn === undefined || row.reviewOn > filter.reviewDueBy || CLOSED.includes(row.status))) return false;
  return true;
}

const positionOf = (row: WorklistRow): WorklistPosition => ({ receivedAt: row.receivedAt, signalId: row.signalId });

/**
 * One page of the worklist: the signals of the key's area that meet the query, newest received first, each
 * with its repeat information. Reads on until the page is full, the signals run out or the bounds above are
 * reached; `next` says where to go on from (null at the end).
 */
export async function readWorklist(query: WorklistQuery, principal: Principal, ports: WorklistPorts): Promise<WorklistPage> {
  const filter = worklistFilter(query, principal, todayInNetherlands(ports.now?.() ?? new Date()));
  if (!filter) return { signals: [], next: null };
  // A cursor from a read of another period still says "older than this": before the period nothing is older
  // in it, after it everything is. (DynamoDB refuses a start outside the period, so it never gets one.)
  if (query.after && query.receivedFrom !== undefined && query.after.receivedAt < query.receivedFrom) return { signals: [], next: null };
  const found: WorklistRow[] = [];
  let after = query.after && query.receivedBefore !== undefined && query.after.receivedAt >= query.receivedBefore ? undefined : query.after;
  let next: WorklistPosition | undefined;
  for (let read = 0; ; read++) {
    const evaluate = Math.min(MAX_EVALUATE_PER_READ, (query.limit + 1) * 4 ** read);
    const page = await ports.worklist.scan({
      region: principal.region,
      ...(query.receivedFrom !== undefined && { receivedFrom: query.receivedFrom }),
      ...(query.receivedBefore !== undefined && { receivedBefore: query.receivedBefore }),
      ...(after && { after }),
      filter,
      evaluate,
    });
    // Checked again here, the area above all: the page holds nothing outside it, whatever an adapter returned.
    const rows = page.rows.filter((row) => inArea(row, principal) && matchesWorklist(row, filter));
    const room = query.limit - found.length;
    found.push(...rows.slice(0, room));
    if (rows.length > room) {
      // Full, with rows of this read left over: go on right after the last one shown.
      next = positionOf(found.at(-1)!);
      break;
    }
    if (!page.last) break;
    if (found.length === query.limit || read + 1 >= MAX_READS) {
      next = page.last;
      break;
    }
    after = page.last;
  }
  const facts = await ports.worklist.subjectFacts(found.map((row) => row.signalId));
  const repeats = await mapLimited(found, REPEAT_CONCURRENCY, (row) => repeatInfo(row.signalId, ports));
  const signals: TriageSignal[] = found.map((row, i) => {
    const subject = facts.get(row.signalId);
    return triageSignalOf({ ...row, ...(subject && { subject }) }, repeats[i] as RepeatInfo | undefined);
  });
  return { signals, next: next ? encodeCursor(next) : null };
}
