import { GetItemCommand, TransactionCanceledException, TransactWriteItemsCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';

const dynamo = mockClient(DynamoDBClient);
const store = new DynamoDbAggregationStore(new DynamoDBClient({}), 'stats');
beforeEach(() => dynamo.reset());

describe('DynamoDbAggregationStore', () => {
  it('writes the applied state and every counter in one transaction, adding with ADD', async () => {
    dynamo.on(TransactWriteItemsCommand).resolves({});
    const deltas = new Map([['counter#region#r#2023', new Map([['total', 1], ['form#arbeid', 1]])]]);
    expect(await store.apply('s1', undefined, { version: 1, contribution: null }, deltas)).toBe(true);
    const items = dynamo.commandCalls(TransactWriteItemsCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]!.Put).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)', Item: { pk: { S: 'applied#s1' } } });
    expect(items[1]!.Update).toMatchObject({
      Key: { pk: { S: 'counter#region#r#2023' } },
      UpdateExpression: 'ADD #a0 :d0, #a1 :d1',
      ExpressionAttributeNames: { '#a0': 'total', '#a1': 'form#arbeid' },
    });
  });

  it('conditions on the version it read, so a concurrent writer cannot be overwritten', async () => {
    dynamo.on(TransactWriteItemsCommand).resolves({});
    await store.apply('s1', 3, { version: 4, contribution: null }, new Map());
    expect(dynamo.commandCalls(TransactWriteItemsCommand)[0]!.args[0].input.TransactItems![0]!.Put).toMatchObject({
      ConditionExpression: 'version = :previous',
      ExpressionAttributeValues: { ':previous': { N: '3' } },
    });
  });

  it('answers false when the condition failed, and rethrows any other cancellation', async () => {
    const cancelled = (code: string) =>
      new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: code }, { Code: 'None' }] });
    dynamo.on(TransactWriteItemsCommand).rejectsOnce(cancelled('ConditionalCheckFailed')).rejectsOnce(cancelled('ThrottlingError'));
    expect(await store.apply('s1', 1, { version: 2, contribution: null }, new Map())).toBe(false);
    await expect(store.apply('s1', 1, { version: 2, contribution: null }, new Map())).rejects.toThrow('cancelled');
  });

  it('reads counters without the key attribute, and an absent item as no counts', async () => {
    dynamo.on(GetItemCommand).resolvesOnce({ Item: marshall({ pk: 'counter#x', total: 3, 'form#arbeid': 2 }) }).resolvesOnce({});
    expect(await store.read('counter#x')).toEqual({ total: 3, 'form#arbeid': 2 });
    expect(await store.read('counter#y')).toEqual({});
  });
});
