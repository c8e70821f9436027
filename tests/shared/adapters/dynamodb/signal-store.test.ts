import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import type { StoredSignal } from '#domain/signal/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbSignalStore(new DynamoDBClient({}), 'signals');
const signal = { signalId: 's1', version: 1, status: 'ontvangen', form: 'arbeid' } as unknown as StoredSignal;
beforeEach(() => dynamo.reset());

describe('DynamoDbSignalStore', () => {
  it('stores a signal once, and answers duplicate when its id is taken', async () => {
    dynamo
      .on(PutCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'taken', $metadata: {} }));
    expect(await store.putIfAbsent(signal)).toBe('stored');
    expect(await store.putIfAbsent(signal)).toBe('duplicate');
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'signals',
      Item: signal,
      ConditionExpression: 'attribute_not_exists(signalId)',
    });
  });

  it('reads a signal consistently, and none when there is none', async () => {
    dynamo.on(GetCommand).resolvesOnce({ Item: signal }).resolvesOnce({});
    expect(await store.get('s1')).toEqual(signal);
    expect(await store.get('s2')).toBeUndefined();
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'signals', Key: { signalId: 's1' }, ConsistentRead: true });
  });

  it('sets the given fields and raises the version, on the condition that the version is the one read', async () => {
    dynamo
      .on(UpdateCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'moved on', $metadata: {} }));
    expect(await store.update('s1', 3, { status: 'ingetrokken', sector: undefined, signalId: 'other', version: 9 })).toBe(true);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toEqual({
      TableName: 'signals',
      Key: { signalId: 's1' },
      UpdateExpression: 'SET #f0 = :v0, #version = :next',
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': 'version', '#f0': 'status' },
      ExpressionAttributeValues: { ':version': 3, ':next': 4, ':v0': 'ingetrokken' },
    });
    expect(await store.update('s1', 3, { status: 'ingetrokken' })).toBe(false);
  });

  it('removes the named attributes in the same update, but never one it sets, the key or the version', async () => {
    dynamo.on(UpdateCommand).resolves({});
    expect(await store.update('s1', 3, { routes: ['riec'] }, ['reviewOn', 'routes', 'version', 'signalId'])).toBe(true);
    expect(dynamo.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({
      UpdateExpression: 'SET #f0 = :v0, #version = :next REMOVE #r0',
      ExpressionAttributeNames: { '#version': 'version', '#f0': 'routes', '#r0': 'reviewOn' },
    });
  });
});
