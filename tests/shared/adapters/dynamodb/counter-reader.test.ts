import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, type BatchGetCommandInput, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { counterItemOf, DynamoDbCounterReader } from '#adapters/dynamodb/counter-reader.js';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

/** A fake table that answers BatchGetItem as DynamoDB does. */
function serve(table: Record<string, Record<string, unknown>>) {
  dynamo.on(BatchGetCommand).callsFake((input: BatchGetCommandInput) => ({
    Responses: { stats: input.RequestItems!.stats!.Keys!.flatMap(({ pk }) => (table[pk] ? [table[pk]] : [])) },
  }));
}

const keysAsked = () => dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.stats!.Keys!.map((k) => k.pk));

describe('DynamoDbCounterReader', () => {
  it("reads the region's change counter and markers, then every counter item, and leaves the revision out of counts and markers", async () => {
    const reader = new DynamoDbCounterReader(new DynamoDBClient({}), 'stats');
    serve({
      'changes#r': { pk: 'changes#r', changes: 4, writes: 4 },
      'uncounted#r': { pk: 'uncounted#r', revision: 4, s9: { markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' } },
      'counter#a#2023': { pk: 'counter#a#2023', total: 3, 'form#arbeid': 2, 'k:total': 700, updatedAt: '2026-11-23T10:00:00.000Z', revision: 3 },
      'counter#a#2022': { pk: 'counter#a#2022', total: 1, revision: 1 },
    });
    const { items, uncounted } = await reader.readItems(['counter#a#2022', 'counter#a#2023', 'counter#a#2021'], 'r');
    expect(keysAsked()).toEqual([
      ['changes#r', 'uncounted#r'],
      ['counter#a#2022', 'counter#a#2023', 'counter#a#2021'],
    ]);
    // The items strongly consistent, so that what is kept under the change count holds every write it counts.
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems!.stats!.ConsistentRead).toBe(true);
    expect([...items]).toEqual([
      ['counter#a#2022', { counts: { total: 1 }, revision: 1 }],
      ['counter#a#2023', { counts: { total: 3, 'form#arbeid': 2, 'k:total': 700 }, updatedAt: '2026-11-23T10:00:00.000Z', revision: 3 }],
    ]);
    expect(uncounted).toEqual([{ signalId: 's9', markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' }]);
  });

  it("reads only the small items while the region's writes stay, and every item again once they move", async () => {
    const reader = new DynamoDbCounterReader(new DynamoDBClient({}), 'stats');
    const table: Record<string, Record<string, unknown>> = {
      'changes#r': { pk: 'changes#r', changes: 3, writes: 3 },
      'counter#a#2023': { pk: 'counter#a#2023', total: 3, revision: 3 },
    };
    serve(table);
    await reader.readItems(['counter#a#2022', 'counter#a#2023'], 'r');
    dynamo.resetHistory();
    expect((await reader.readItems(['counter#a#2022', 'counter#a#2023'], 'r')).items).toEqual(
      new Map([['counter#a#2023', { counts: { total: 3 }, revision: 3 }]]),
    );
    expect(keysAsked()).toEqual([['changes#r', 'uncounted#r']]);

    table['counter#a#2023'] = { pk: 'counter#a#2023', total: 4, revision: 4 };
    table['counter#a#2022'] = { pk: 'counter#a#2022', total: 1, revision: 1 };
    table['changes#r'] = { pk: 'changes#r', changes: 5, writes: 5 };
    dynamo.resetHistory();
    const { items } = await reader.readItems(['counter#a#2022', 'counter#a#2023'], 'r');
    expect(items.get('counter#a#2023')).toEqual({ counts: { total: 4 }, revision: 4 });
    expect(items.get('counter#a#2022')).toEqual({ counts: { total: 1 }, revision: 1 });
    expect(keysAsked()[1]).toEqual(['counter#a#2022', 'counter#a#2023']);
  });

  it('asks again for keys left unprocessed', async () => {
    const reader = new DynamoDbCounterReader(new DynamoDBClient({}), 'stats');
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { stats: [] } })
      // As DynamoDB answers: the keys left with the request's own settings.
      .resolvesOnce({ Responses: { stats: [] }, UnprocessedKeys: { stats: { Keys: [{ pk: 'counter#y' }], ConsistentRead: true } } })
      .resolvesOnce({ Responses: { stats: [{ pk: 'counter#y', total: 1, revision: 1 }] } });
    const { items, uncounted } = await reader.readItems(['counter#y'], 'r');
    expect(items.get('counter#y')).toEqual({ counts: { total: 1 }, revision: 1 });
    expect(uncounted).toEqual([]);
    expect(dynamo.commandCalls(BatchGetCommand)[2]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#y' }], ConsistentRead: true } } });
  });

  it('splits more than 100 keys over requests of 100', async () => {
    const reader = new DynamoDbCounterReader(new DynamoDBClient({}), 'stats');
    dynamo.on(BatchGetCommand).resolves({ Responses: { stats: [] } });
    await reader.readItems(
      Array.from({ length: 120 }, (_, i) => `counter#${i}`),
      'r',
    );
    expect(dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.stats!.Keys!.length)).toEqual([2, 100, 20]);
  });
});

describe('counterItemOf', () => {
  it('takes updatedAt as an ISO string or as milliseconds since the epoch, and drops what is not a date', () => {
    expect(counterItemOf({ pk: 'x', total: 1, updatedAt: Date.parse('2026-11-23T10:00:00Z') })).toEqual({
      counts: { total: 1 },
      updatedAt: '2026-11-23T10:00:00.000Z',
    });
    expect(counterItemOf({ pk: 'x', total: 1, updatedAt: 'gisteren' })).toEqual({ counts: { total: 1 } });
    expect(counterItemOf({ pk: 'x', total: 1, note: 'not a count' })).toEqual({ counts: { total: 1 } });
    expect(counterItemOf({ pk: 'x', total: 1, revision: 7 })).toEqual({ counts: { total: 1 } });
  });
});
