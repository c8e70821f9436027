/**
 * Seeds a local store with stored signals as if the pipeline had taken them in and counted them, without
 * pushing each through the aggregator's transaction (some 57 signals a second locally: half an hour for
 * 100 000). The counting is still the aggregator's own: each signal's contribution and deltas come from
 * the domain (contributionOf, counterDeltas(null, …), what aggregateSignal applies to a signal seen for the
 * first time), and the items from the adapter (firstCountItems: the applied item, the counter items as
 * the sums of their ADDs, the change counter). Each item is then written once, with BatchWriteItem.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type FirstCount, FirstCountLoad } from '#adapters/dynamodb/aggregation-store.js';
import { documentClient } from '#adapters/dynamodb/document-client.js';
import { UNKNOWN } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { contributionOf, counterDeltas } from '#domain/statistics/index.js';
import { tables } from '../../infra/resources.js';

/** What the aggregator applies to a signal it counts for the first time. */
export function firstCountOf(signal: StoredSignal): FirstCount {
  const contribution = contributionOf(signal);
  return { signalId: signal.signalId, applied: { version: signal.version, contribution }, deltas: counterDeltas(null, contribution) };
}

/** The statistics table's items once the aggregator has counted each of the signals: applied items, counters, change counters. */
export function seedItems(signals: Iterable<StoredSignal>, updatedAt: string): Record<string, unknown>[] {
  const load = new FirstCountLoad();
  const applied = [...signals].map((signal) => load.add(firstCountOf(signal)));
  return [...applied, ...load.counterItems(updatedAt), ...load.changeCounterItems()];
}

const BATCH = 25;
const WRITERS = 4;
const ATTEMPTS = 8;

/** Puts the items with BatchWriteItem, 25 a request, a few requests at a time, retrying what DynamoDB left unprocessed. */
async function putAll(documents: DynamoDBDocumentClient, tableName: string, items: readonly Record<string, unknown>[]): Promise<void> {
  let next = 0;
  const writer = async () => {
    while (next < items.length) {
      const start = next;
      next += BATCH;
      const slice = items.slice(start, start + BATCH);
      let pending: BatchWriteCommandInput['RequestItems'] = { [tableName]: slice.map((Item) => ({ PutRequest: { Item } })) };
      for (let attempt = 1; pending && Object.keys(pending).length > 0; attempt++) {
        if (attempt > ATTEMPTS) throw new Error(`BatchWriteItem left items of ${tableName} unprocessed after ${ATTEMPTS} attempts`);
        if (attempt > 1) await new Promise((r) => setTimeout(r, 25 * 2 ** attempt));
        pending = (await documents.send(new BatchWriteCommand({ RequestItems: pending }))).UnprocessedItems;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

/**
 * Seeds the store, chunk by chunk as the signals are made: each chunk's applied items, then its signals.
 * In that order, because every signal written goes down the table's stream to the aggregator, which must
 * find it applied already: it then changes nothing (and says so, outcome `already-applied`), and the
 * stream's pass over the seeded signals runs beside the seeding. Then the counter items, each once, and
 * last the change counters, which let the release function see that there is something to release.
 */
export async function seedStore(client: DynamoDBClient, chunks: AsyncIterable<readonly StoredSignal[]>, now = new Date()) {
  const documents = documentClient(client);
  const load = new FirstCountLoad();
  let signals = 0;
  for await (const chunk of chunks) {
    await putAll(
      documents,
      tables.statistics.name,
      chunk.map((signal) => load.add(firstCountOf(signal))),
    );
    await putAll(documents, tables.signals.name, chunk as unknown as Record<string, unknown>[]);
    signals += chunk.length;
  }
  const counters = load.counterItems(now.toISOString());
  await putAll(documents, tables.statistics.name, counters);
  await putAll(documents, tables.statistics.name, load.changeCounterItems());
  return { signals, counterItems: counters.length };
}

type Table = Record<string, number>;
const add = (table: Table, key: string) => {
  table[key] = (table[key] ?? 0) + 1;
};

/**
 * A region's tables for one year, counted straight from the stored records, without the domain's counting
 * code: every record observed that year and not withdrawn, by the field as stored (`onbekend` where absent).
 */
export function countDirectly(records: Iterable<StoredSignal>, year: number) {
  const tables = {
    byForm: {} as Table,
    byProvince: {} as Table,
    byMunicipality: {} as Table,
    bySourceType: {} as Table,
    byChannel: {} as Table,
    bySignalType: {} as Table,
    byMonth: {} as Table,
    byExploitationMunicipality: {} as Table,
    bySector: {} as Table,
    byAgeBand: {} as Table,
    byGender: {} as Table,
    byStatus: {} as Table,
    byAdditionalForm: {} as Table,
  };
  const cross: Record<string, Table> = {};
  let total = 0;
  for (const r of records) {
    if (r.status === 'ingetrokken' || !r.observedAt.startsWith(`${year}-`)) continue;
    total++;
    add(tables.byForm, r.form);
    add(tables.byProvince, r.province);
    add(tables.byMunicipality, r.municipality);
    add(tables.bySourceType, r.sourceType);
    add(tables.byChannel, r.channel);
    add(tables.bySignalType, r.signalType);
    add(tables.byMonth, r.observedAt.slice(0, 7));
    add(tables.byExploitationMunicipality, r.exploitationMunicipality ?? UNKNOWN);
    add(tables.bySector, r.sector ?? UNKNOWN);
    add(tables.byAgeBand, r.subject?.ageBand ?? UNKNOWN);
    add(tables.byGender, r.subject?.gender ?? UNKNOWN);
    add(tables.byStatus, r.status);
    for (const form of new Set(r.additionalForms ?? [])) add(tables.byAdditionalForm, form);
    cross[r.municipality] ??= {};
    add(cross[r.municipality]!, r.form);
  }
  return { total, ...tables, cross };
}

/** Where an answer differs from the direct count: `table.key: answered n, counted m`; empty when they agree. */
export function differences(answer: Record<string, any>, expected: ReturnType<typeof countDirectly>): string[] {
  const found: string[] = [];
  const compare = (name: string, answered: Table = {}, counted: Table = {}) => {
    for (const key of new Set([...Object.keys(answered), ...Object.keys(counted)])) {
      if ((answered[key] ?? 0) !== (counted[key] ?? 0)) found.push(`${name}.${key}: answered ${answered[key] ?? 0}, counted ${counted[key] ?? 0}`);
    }
  };
  if (answer.total !== expected.total) found.push(`total: answered ${answer.total}, counted ${expected.total}`);
  const { total: _total, cross, ...oneWay } = expected;
  for (const [name, counted] of Object.entries(oneWay)) compare(name, answer[name], counted);
  for (const row of new Set([...Object.keys(answer.cross ?? {}), ...Object.keys(cross)])) compare(`cross.${row}`, answer.cross?.[row], cross[row]);
  return found;
}
