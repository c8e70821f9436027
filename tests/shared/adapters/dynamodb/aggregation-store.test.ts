import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbAggregationStore(new DynamoDBClient({}), 'stats');
beforeEach(() => dynamo.reset());
const transaction = (n = 0) => dynamo.commandCalls(TransactWriteCommand)[n]!.args[0].input.TransactItems!;

describe('DynamoDbAggregationStore', () => {
  it('writes the applied state and every counter in one transaction, adding with ADD', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const deltas = new Map([
      [
        'counter#region#r#2023',
        new Map([
          ['total', 1],
          ['form#arbeid', 1],
        ]),
      ],
    ]);
    expect(await store.apply('s1', undefined, { version: 1, contribution: null }, deltas, [])).toBe(true);
    const items = transaction();
    expect(items).toHaveLength(2);
    expect(items[0]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'applied#s1' },
      UpdateExpression: 'SET #version = :version, #contribution = :contribution',
      ConditionExpression: 'attribute_not_exists(#version)',
      ExpressionAttributeNames: { '#version': 'version', '#contribution': 'contribution' },
      ExpressionAttributeValues: { ':version': 1, ':contribution': null },
    });
    expect(items[1]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'counter#region#r#2023' },
      UpdateExpression: 'ADD #a0 :d0, #a1 :d1',
      ExpressionAttributeNames: { '#a0': 'total', '#a1': 'form#arbeid' },
      ExpressionAttributeValues: { ':d0': 1, ':d1': 1 },
    });
  });

  it('conditions on the version it read, so a concurrent writer cannot be overwritten', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply('s1', 3, { version: 4, contribution: null }, new Map(), []);
    expect(transaction()[0]!.Update).toMatchObject({
      ConditionExpression: '#version = :previous',
      ExpressionAttributeValues: { ':previous': 3, ':version': 4 },
    });
  });

  it('removes the markers of a marked signal in the same transaction: its map entry per region, and the regions from its set', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.apply('s1', undefined, { version: 2, contribution: null }, new Map(), ['noord-nederland']);
    const items = transaction();
    expect(items[0]!.Update).toMatchObject({
      UpdateExpression: 'SET #version = :version, #contribution = :contribution REMOVE uncountedVersion DELETE uncountedIn :unmark',
      ExpressionAttributeValues: { ':unmark': new Set(['noord-nederland']) },
    });
    expect(items[1]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'uncounted#noord-nederland' },
      UpdateExpression: 'REMOVE #signal',
      ExpressionAttributeNames: { '#signal': 's1' },
    });
  });

  it('answers false when the condition failed, and rethrows any other cancellation', async () => {
    const cancelled = (code: string) =>
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed')).rejectsOnce(cancelled('ThrottlingError'));
    expect(await store.apply('s1', 1, { version: 2, contribution: null }, new Map(), [])).toBe(false);
    await expect(store.apply('s1', 1, { version: 2, contribution: null }, new Map(), [])).rejects.toThrow('cancelled');
  });

  it('reads the bookkeeping consistently: applied state, markers, both or none', async () => {
    const contribution = {
      year: 2023,
      month: '2023-05',
      region: 'r',
      province: 'p',
      municipality: 'm',
      form: 'arbeid',
      sourceType: 's',
      channel: 'api',
      signalType: 't',
    };
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'applied#s1', version: 2, contribution } })
      .resolvesOnce({})
      .resolvesOnce({ Item: { pk: 'applied#s3', uncountedIn: new Set(['r2', 'r1']), uncountedVersion: 1 } })
      .resolvesOnce({ Item: { pk: 'applied#s4', version: 1, contribution: null, uncountedIn: new Set(['r1']) } });
    expect(await store.bookkeeping('s1')).toEqual({ applied: { version: 2, contribution } });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'stats', Key: { pk: 'applied#s1' }, ConsistentRead: true });
    expect(await store.bookkeeping('s2')).toEqual({});
    expect(await store.bookkeeping('s3')).toEqual({ uncounted: { regions: ['r1', 'r2'], version: 1 } });
    expect(await store.bookkeeping('s4')).toEqual({ applied: { version: 1, contribution: null }, uncounted: { regions: ['r1'], version: 0 } });
  });

  it('marks in one transaction: the marker in each region item, and the regions and version on the applied item', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const marker = { signalId: 's1', markedAt: '2024-01-01T00:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR' };
    await store.markUncounted(['r1', 'r2'], 3, marker);
    const items = transaction();
    expect(items[0]!.Update).toEqual({
      TableName: 'stats',
      Key: { pk: 'applied#s1' },
      UpdateExpression: 'ADD uncountedIn :regions SET uncountedVersion = :version',
      ExpressionAttributeValues: { ':regions': new Set(['r1', 'r2']), ':version': 3 },
    });
    expect(items.slice(1).map((i) => i.Update)).toEqual(
      ['r1', 'r2'].map((r) => ({
        TableName: 'stats',
        Key: { pk: `uncounted#${r}` },
        UpdateExpression: 'SET #signal = :marker',
        ExpressionAttributeNames: { '#signal': 's1' },
        ExpressionAttributeValues: { ':marker': { markedAt: '2024-01-01T00:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR' } },
      })),
    );
  });

  it('unmarks in one transaction, and not at all when there is nothing to unmark', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await store.unmark('s1', []);
    expect(dynamo.commandCalls(TransactWriteCommand)).toHaveLength(0);
    await store.unmark('s1', ['r1']);
    expect(transaction().map((i) => i.Update!.UpdateExpression)).toEqual(['REMOVE uncountedVersion DELETE uncountedIn :regions', 'REMOVE #signal']);
  });

  it("reads the counter item and the region's markers in one BatchGetItem", async () => {
    dynamo.on(BatchGetCommand).resolvesOnce({
      Responses: {
        stats: [
          { pk: 'uncounted#r', s9: { markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' } },
          { pk: 'counter#x', total: 3, 'form#arbeid': 2 },
        ],
      },
    });
    expect(await store.read('counter#x', 'r')).toEqual({
      counts: { total: 3, 'form#arbeid': 2 },
      uncounted: [{ signalId: 's9', markedAt: '2024-01-01T00:00:00.000Z', error: 'TypeError', year: 2023, municipality: 'onbekend' }],
    });
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#x' }, { pk: 'uncounted#r' }] } } });
  });

  it('reads absent items as no counts and no markers, and asks again for keys left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { stats: [] }, UnprocessedKeys: { stats: { Keys: [{ pk: 'counter#y' }] } } })
      .resolvesOnce({ Responses: { stats: [{ pk: 'counter#y', total: 1 }] } });
    expect(await store.read('counter#y', 'r')).toEqual({ counts: { total: 1 }, uncounted: [] });
    expect(dynamo.commandCalls(BatchGetCommand)[1]!.args[0].input).toEqual({ RequestItems: { stats: { Keys: [{ pk: 'counter#y' }] } } });
  });
});
