import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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
});
