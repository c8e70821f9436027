import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAggregationStore, FirstCountLoad } from '#adapters/dynamodb/aggregation-store.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { aggregateSignal, readStatistics, StatisticsQuerySchema } from '#domain/statistics/index.js';
import { MemoryCounters } from '../support/in-memory-ports.js';
import { countDirectly, differences, seedItems } from './statistics-seed.js';
import { benchSignals, benchYears, storedSignalOf } from './statistics-signals.js';

const NOW = '2026-11-23T10:00:00.000Z';
let signals: StoredSignal[];
beforeAll(async () => {
  signals = await Promise.all([...benchSignals(200, 7, { today: '2026-11-23' })].map(storedSignalOf));
});
const byPk = (items: Record<string, unknown>[]) => new Map(items.map((item) => [String(item.pk), item]));

/**
 * What DynamoDB holds after the adapter's transactions, folded from the updates they send: `ADD name :v`
 * adds, `SET name = :v` sets. Anything else fails the test rather than be folded wrongly.
 */
function fold(
  transactions: {
    Update?: {
      Key?: Record<string, unknown>;
      UpdateExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
      ExpressionAttributeValues?: Record<string, any>;
    };
  }[],
) {
  const table = new Map<string, Record<string, any>>();
  for (const { Update } of transactions) {
    const pk = String(Update!.Key!.pk);
    const item = table.get(pk) ?? { pk };
    const name = (n: string) => Update!.ExpressionAttributeNames?.[n] ?? n;
    const value = (v: string) => Update!.ExpressionAttributeValues![v];
    for (const [, action, clause] of Update!.UpdateExpression!.matchAll(/(ADD|SET|REMOVE|DELETE) (.*?)(?= (?:ADD|SET|REMOVE|DELETE) |$)/g)) {
      for (const part of clause!.split(', ')) {
        if (action === 'ADD') {
          const [n, v] = part.split(' ') as [string, string];
          item[name(n)] = (item[name(n)] ?? 0) + value(v);
        } else if (action === 'SET') {
          const [n, v] = part.split(' = ') as [string, string];
          item[name(n)] = value(v);
        } else throw new Error(`${action} is not folded`);
      }
    }
    table.set(pk, item);
  }
  return table;
}

describe('seeding the statistics benchmark', () => {
  it('stores signals as the aggregator reads them: five years, every channel, withdrawn and decided ones among them', () => {
    expect(new Set(signals.map((s) => Number(s.observedAt.slice(0, 4))))).toEqual(new Set(benchYears('2026-11-23')));
    expect(new Set(signals.map((s) => s.channel))).toEqual(new Set(['api', 'email', 'web']));
    expect(signals.some((s) => s.status === 'ingetrokken')).toBe(true);
    expect(signals.some((s) => s.routes?.length && s.version > 1)).toBe(true);
    expect(signals.every((s) => s.observedAt <= '2026-11-23')).toBe(true);
    expect(new Set(signals.map((s) => s.signalId)).size).toBe(200);
  });

  it('leaves the counters and applied states the aggregator leaves when it counts 200 random signals one by one', async () => {
    const memory = new MemoryCounters();
    for (const signal of signals) expect(await aggregateSignal(signal, memory)).toMatch(/^(counted|unchanged)$/);
    const items = seedItems(signals, NOW);
    const counters = items.filter((item) => String(item.pk).startsWith('counter#'));
    expect(new Map(counters.map(({ pk, updatedAt: _updatedAt, revision: _revision, ...counts }) => [String(pk), counts]))).toEqual(memory.items);
    const applied = items.filter((item) => String(item.pk).startsWith('applied#'));
    expect(new Map(applied.map(({ pk, ...state }) => [String(pk).slice('applied#'.length), state]))).toEqual(memory.appliedStates);
  });

  it('writes item for item what the DynamoDB adapter’s transactions leave, the change counter, updatedAt and revision included', async () => {
    const dynamo = mockClient(DynamoDBDocumentClient);
    try {
      dynamo.on(GetCommand).resolves({});
      dynamo.on(TransactWriteCommand).resolves({});
      const store = new DynamoDbAggregationStore(new DynamoDBClient({}), 'stats', () => new Date(NOW));
      for (const signal of signals) await aggregateSignal(signal, store);
      const transactions = dynamo.commandCalls(TransactWriteCommand).flatMap((call) => call.args[0].input.TransactItems!);
      const written = fold(transactions as Parameters<typeof fold>[0]);
      expect(byPk(seedItems(signals, NOW))).toEqual(written);
      expect(written.get('changes#noord-nederland')).toEqual({
        pk: 'changes#noord-nederland',
        changes: signals.filter((s) => s.status !== 'ingetrokken').length,
        writes: signals.filter((s) => s.status !== 'ingetrokken').length,
      });
    } finally {
      dynamo.restore();
    }
  });

  it('refuses a signal counted twice in one load', () => {
    const load = new FirstCountLoad();
    const once = { signalId: 's1', applied: { version: 1, contribution: null }, deltas: new Map() };
    load.add(once);
    expect(() => load.add(once)).toThrow(/s1 twice/);
  });

  it('counts directly, from the records, what the statistics answer reads from the counters', async () => {
    const memory = new MemoryCounters();
    for (const signal of signals) await aggregateSignal(signal, memory);
    for (const year of benchYears('2026-11-23')) {
      const query = StatisticsQuerySchema.parse({ year: String(year), cross: 'municipality,form' });
      const answer = await readStatistics(query, memory, new Date(NOW));
      expect(differences(answer, countDirectly(signals, year))).toEqual([]);
      expect(answer.total).toBeGreaterThan(10);
    }
    // And it sees a difference: the same records with a withdrawn signal counted after all.
    const withdrawn = signals.find((s) => s.status === 'ingetrokken')!;
    const year = Number(withdrawn.observedAt.slice(0, 4));
    const answer = await readStatistics(StatisticsQuerySchema.parse({ year: String(year), cross: 'municipality,form' }), memory);
    const miscounted = countDirectly(
      signals.map((s) => (s === withdrawn ? { ...s, status: 'ontvangen' as const } : s)),
      year,
    );
    expect(differences(answer, miscounted)).toContain(`total: answered ${answer.total}, counted ${answer.total + 1}`);
  });
});
