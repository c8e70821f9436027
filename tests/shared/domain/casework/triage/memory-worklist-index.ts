import {
  matchesWorklist,
  type SubjectFacts,
  WORKLIST_INDEX_FIELDS,
  type WorklistIndex,
  type WorklistPosition,
  type WorklistRow,
  type WorklistScan,
} from '#domain/casework/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import type { MemorySignalStore } from './memory-triage-write.js';

const FIELDS = ['signalId', 'region', 'receivedAt', ...WORKLIST_INDEX_FIELDS] as const;

/** The index order: newest received first; the id settles a tie, so that a position is exact. */
const newerFirst = (a: WorklistPosition, b: WorklistPosition) =>
  a.receivedAt !== b.receivedAt ? (a.receivedAt > b.receivedAt ? -1 : 1) : a.signalId > b.signalId ? -1 : a.signalId < b.signalId ? 1 : 0;

/**
 * The byRegion index in memory, over a memory signal store: rows of the projected fields only, read newest
 * first from a position, at most `evaluate` a scan, filtered after the read as DynamoDB filters. Every scan is
 * kept, to see what a page cost.
 */
export class MemoryWorklistIndex implements WorklistIndex {
  readonly scans: WorklistScan[] = [];
  /** Set to hand back rows the filter should have dropped, as a faulty adapter would. */
  ignoreFilter = false;

  constructor(private readonly store: MemorySignalStore) {}

  async scan(scan: WorklistScan): Promise<{ rows: WorklistRow[]; last?: WorklistPosition }> {
    this.scans.push(structuredClone(scan));
    const inOrder = [...this.store.signals.values()]
      .filter((s) => s.region === scan.region)
      .filter(
        (s) =>
          (scan.receivedFrom === undefined || s.receivedAt >= scan.receivedFrom) && (scan.receivedBefore === undefined || s.receivedAt < scan.receivedBefore),
      )
      .sort(newerFirst)
      .filter((s) => !scan.after || newerFirst(s, scan.after) > 0);
    const read = inOrder.slice(0, scan.evaluate).map(rowOf);
    const rows = this.ignoreFilter ? read : read.filter((row) => matchesWorklist(row, scan.filter));
    const lastRead = read.at(-1);
    // As DynamoDB: a read that stopped at its Limit names where it stopped, whether or not more follow.
    return { rows, ...(read.length === scan.evaluate && lastRead && { last: { receivedAt: lastRead.receivedAt, signalId: lastRead.signalId } }) };
  }

  async subjectFacts(signalIds: readonly string[]): Promise<Map<string, SubjectFacts>> {
    const facts = new Map<string, SubjectFacts>();
    for (const id of signalIds) {
      const subject = this.store.signals.get(id)?.subject;
      if (subject) facts.set(id, { ...(subject.ageBand && { ageBand: subject.ageBand }), ...(subject.gender && { gender: subject.gender }) });
    }
    return facts;
  }
}

function rowOf(signal: StoredSignal): WorklistRow {
  return Object.fromEntries(FIELDS.filter((f) => signal[f] !== undefined).map((f) => [f, structuredClone(signal[f])])) as unknown as WorklistRow;
}
