import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbClaimStore } from '#adapters/dynamodb/claim-store.js';

const dynamo = mockClient(DynamoDBClient);
const store = new DynamoDbClaimStore(new DynamoDBClient({}), 'claims', 30);
const claim = { claimKey: 'idem#abc', signalId: 'id-1', fingerprint: 'f1' };
beforeEach(() => dynamo.reset());

describe('DynamoDbClaimStore', () => {
  it('claims a new key with a conditional put that expires', async () => {
    dynamo.on(PutItemCommand).resolves({});
    expect(await store.claim(claim)).toEqual({ status: 'claimed' });
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(Number(input.Item!.expiresAt!.N)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
  });

  it('answers the existing claim from the failed condition', async () => {
    dynamo.on(PutItemCommand).rejects(
      new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: marshall({ pk: 'idem#abc', signalId: 'id-0', fingerprint: 'f0' }) }),
    );
    expect(await store.claim(claim)).toEqual({ status: 'exists', signalId: 'id-0', fingerprint: 'f0' });
  });

  it('reads the existing claim when the failed condition did not return it', async () => {
    dynamo.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    dynamo.on(GetItemCommand).resolves({ Item: marshall({ pk: 'idem#abc', signalId: 'id-0', fingerprint: 'f0' }) });
    expect(await store.claim(claim)).toEqual({ status: 'exists', signalId: 'id-0', fingerprint: 'f0' });
  });
});
