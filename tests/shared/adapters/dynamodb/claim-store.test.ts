import { ConditionalCheckFailedException, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbClaimStore } from '#adapters/dynamodb/claim-store.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbClaimStore(new DynamoDBClient({}), 'claims', 30);
const claim = { claimKey: 'idem#abc', signalId: 'id-1', fingerprint: 'f1' };
beforeEach(() => dynamo.reset());

describe('DynamoDbClaimStore', () => {
  it('claims a new key with a conditional put that expires', async () => {
    dynamo.on(PutCommand).resolves({});
    expect(await store.claim(claim)).toEqual({ status: 'claimed' });
    const input = dynamo.commandCalls(PutCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'claims',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'idem#abc', signalId: 'id-1', fingerprint: 'f1' },
    });
    expect(input.Item!.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
  });

  it('answers the existing claim from the failed condition', async () => {
    // Errors are not translated by the document client: the old item arrives as attribute values.
    dynamo
      .on(PutCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: marshall({ pk: 'idem#abc', signalId: 'id-0', fingerprint: 'f0' }) }),
      );
    expect(await store.claim(claim)).toEqual({ status: 'exists', signalId: 'id-0', fingerprint: 'f0' });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });

  it('reads the existing claim when the failed condition did not return it', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(GetCommand).resolves({ Item: { pk: 'idem#abc', signalId: 'id-0', fingerprint: 'f0' } });
    expect(await store.claim(claim)).toEqual({ status: 'exists', signalId: 'id-0', fingerprint: 'f0' });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'claims', Key: { pk: 'idem#abc' }, ConsistentRead: true });
  });

  it('reads many claims with strongly consistent BatchGetItem, 100 keys a request, and answers those that exist', async () => {
    dynamo.on(BatchGetCommand).callsFake((input) => ({
      Responses: {
        claims: input.RequestItems.claims.Keys.filter((k: { pk: string }) => k.pk.endsWith('7')).map((k: { pk: string }) => ({
          ...k,
          signalId: `id-${k.pk}`,
          fingerprint: 'f',
          expiresAt: 1,
        })),
      },
    }));
    const keys = Array.from({ length: 150 }, (_, i) => `ext#${i}`);
    const found = await store.findMany(keys);
    const calls = dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.claims!);
    expect(calls.map((c) => [c.Keys!.length, c.ConsistentRead])).toEqual([
      [100, true],
      [50, true],
    ]);
    expect(found.size).toBe(15);
    expect(found.get('ext#17')).toEqual({ signalId: 'id-ext#17', fingerprint: 'f' });
    expect(found.has('ext#18')).toBe(false);
  });

  it('makes many claims as conditional puts, 100 in one transaction', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const claims = Array.from({ length: 150 }, (_, i) => ({ claimKey: `ext#${i}`, signalId: `id-${i}`, fingerprint: 'f' }));
    expect(await store.claimMany(claims)).toEqual(Array(150).fill({ status: 'claimed' }));
    const calls = dynamo.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
    expect(calls.map((items) => items.length)).toEqual([100, 50]);
    expect(calls[1]![49]!.Put).toMatchObject({
      TableName: 'claims',
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: 'ext#149', signalId: 'id-149', fingerprint: 'f', expiresAt: expect.any(Number) },
    });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('makes the claims of a cancelled transaction one by one, so a claim made meanwhile is answered as it exists', async () => {
    dynamo.on(TransactWriteCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {} }));
    dynamo
      .on(PutCommand)
      .resolves({})
      .on(PutCommand, { Item: { pk: 'ext#1' } })
      .rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: marshall({ pk: 'ext#1', signalId: 'id-0', fingerprint: 'f0' }) }));
    const claims = Array.from({ length: 3 }, (_, i) => ({ claimKey: `ext#${i}`, signalId: `id-${i}`, fingerprint: 'f' }));
    expect(await store.claimMany(claims)).toEqual([{ status: 'claimed' }, { status: 'exists', signalId: 'id-0', fingerprint: 'f0' }, { status: 'claimed' }]);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(3);
  });

  it('lets any other failure of a transaction through, for the request to answer 503', async () => {
    dynamo.on(TransactWriteCommand).rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    await expect(store.claimMany([claim])).rejects.toThrow('slow down');
  });
});
