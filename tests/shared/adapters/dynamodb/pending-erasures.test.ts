import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbPendingErasures } from '#adapters/dynamodb/pending-erasures.js';
import type { PendingErasure } from '#domain/casework/erasure/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbPendingErasures(new DynamoDBClient({}), 'links');
const pending: PendingErasure = {
  erasureId: '0b6a3f0e-7c1d-4e8a-9f4b-2d1c0e9a8b7c',
  keys: [`key#k-1#bsn#${'a'.repeat(64)}`, `key#k-1#phone#${'b'.repeat(64)}`],
  erasedAt: '2026-01-10T09:00:00.000Z',
  organisation: 'Privacyfunctionaris Noord-Nederland',
  keyHash: 'f'.repeat(64),
  purpose: 'Verzoek tot wissing van betrokkene (AVG art. 17); kenmerk AVG-2026-014',
  expiresAt: 1_769_331_600,
};
beforeEach(() => dynamo.reset());

describe('DynamoDbPendingErasures', () => {
  it('puts a pending erasure in a partition of its own in the links table, with expiresAt for the table’s TTL', async () => {
    dynamo.on(PutCommand).resolves({});
    await store.add(pending);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'links',
      Item: { pk: 'pending-erasure', sk: pending.erasureId, ...pending },
    });
  });

  it('lists every pending erasure of the partition, page after page, consistently', async () => {
    const item = { pk: 'pending-erasure', sk: pending.erasureId, ...pending };
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [item], LastEvaluatedKey: { pk: 'pending-erasure', sk: pending.erasureId } })
      .resolvesOnce({ Items: [{ ...item, sk: 'other', erasureId: 'other', keyHash: undefined }] });
    const listed = await store.list();
    expect(listed).toEqual([pending, { ...pending, erasureId: 'other', keyHash: undefined }]);
    const inputs = dynamo.commandCalls(QueryCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'pending-erasure' }, ConsistentRead: true });
    expect(inputs[1]!.ExclusiveStartKey).toEqual({ pk: 'pending-erasure', sk: pending.erasureId });
  });

  it('removes one by its id', async () => {
    dynamo.on(DeleteCommand).resolves({});
    await store.remove(pending.erasureId);
    expect(dynamo.commandCalls(DeleteCommand)[0]!.args[0].input).toEqual({ TableName: 'links', Key: { pk: 'pending-erasure', sk: pending.erasureId } });
  });
});
