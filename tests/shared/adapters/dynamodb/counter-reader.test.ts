import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { counterItemOf, DynamoDbCounterReader } from '#adapters/dynamodb/counter-reader.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const reader = new DynamoDbCounterReader(new DynamoDBClient({}), 'stats');
beforeEach(() => dynamo.reset());

describe('DynamoDbCounterReader', () => {
  it("reads every counter item and the region's markers in one BatchGetItem", async () => {
    dynamo.on(BatchGetCommand).resolvesOnce({
      Responses: {
        stats: [
          { pk: 'uncounted#r', s9: { markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' } },
          { pk: 'counter#a#2023', total: 3, 'form#arbeid': 2, 'k:total': 700, updatedAt: '2026-11-23T10:00:00.000Z' },
          { pk: 'counter#a#2022', total: 1 },
        ],
      },
    });
    const { items, uncounted } = await reader.readItems(['counter#a#2022', 'counter#a#2023', 'counter#a#2021'], 'r');
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input).toEqual({
      RequestItems: { stats: { Keys: [{ pk: 'counter#a#2022' }, { pk: 'counter#a#2023' }, { pk: 'counter#a#2021' }, { pk: 'uncounted#r' }] } },
    });
    expect([...items]).toEqual([
      ['counter#a#2022', { counts: { total: 1 } }],
      ['counter#a#2023', { counts: { total: 3, 'form#arbeid': 2, 'k:total': 700 }, updatedAt: '2026-11-23T10:00:00.000Z' }],
    ]);
    expect(uncounted).toEqual([{ signalId: 's9', markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' }]);
  });

  it('asks again for keys left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { stats: [] }, UnprocessedKeys: { stats: { Keys: [{ pk: 'counter#y' }] } } })
      .resolvesOnce({ Responses: { stats: [{ pk: 'counter#y', total: 1 }] } });
    const { items, uncounted } = await reader.readItems(['counter#y'], 'r');
    expect(items.get('counter#y')).toEqual({ counts: { total: 1 } });
    expect(uncounted).toEqual([]);
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#y' }] } } });
  });

  it('splits more than 100 keys over requests of 100', async () => {
    dynamo.on(BatchGetCommand).resolves({ Responses: { stats: [] } });
    await reader.readItems(
      Array.from({ length: 120 }, (_, i) => `counter#${i}`),
      'r',
    );
    expect(dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.stats!.Keys!.length)).toEqual([100, 21]);
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
  });
});
