import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbLinkIndex } from '#adapters/dynamodb/link-index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const index = new DynamoDbLinkIndex(new DynamoDBClient({}), 'links');
const key = `key#k-1#bsn#${'a'.repeat(64)}`;
const signalId = '6f1c1e0a-4b7e-4c55-9d1a-0a1b2c3d4e5f';
const entry = { signalId, organisation: 'Gemeente Emmen', observedAt: '2024-03-05', receivedAt: '2024-03-06T10:00:00.000Z', expiresAt: 1_867_000_000 };
beforeEach(() => dynamo.reset());

describe('DynamoDbLinkIndex', () => {
  it('puts an entry as an item of its own under the key, sorted by the day observed, once', async () => {
    dynamo.on(PutCommand).resolves({});
    await index.put(key, entry);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input).toEqual({
      TableName: 'links',
      Item: { pk: key, sk: `signal#2024-03-05#${signalId}`, ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('takes an entry that is there already for done', async () => {
    dynamo.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    await expect(index.put(key, entry)).resolves.toBeUndefined();
    dynamo.on(PutCommand).rejects(new Error('throttled'));
    await expect(index.put(key, entry)).rejects.toThrow('throttled');
  });

  it("adds keys to the signal's own entry as a set, keeping the dates first written", async () => {
    dynamo.on(UpdateCommand).resolves({});
    await index.noteKeys({ signalId, keys: [key], observedAt: entry.observedAt, receivedAt: entry.receivedAt, expiresAt: entry.expiresAt });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ pk: `signal#${signalId}`, sk: 'keys' });
    expect(input.UpdateExpression).toMatch(/ADD #keys :keys$/);
    expect(input.UpdateExpression).toContain('#observedAt = if_not_exists(#observedAt, :observedAt)');
    expect(input.ExpressionAttributeValues?.[':keys']).toEqual(new Set([key]));
  });

  it('writes no expiry for a signal linked without one, and reads entries without one as such', async () => {
    dynamo.on(UpdateCommand).resolves({});
    await index.noteKeys({ signalId, keys: [key], observedAt: entry.observedAt, receivedAt: entry.receivedAt });
    const input = dynamo.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(input.UpdateExpression).not.toContain('expiresAt');
    expect(input.ExpressionAttributeNames).not.toHaveProperty('#expiresAt');
    expect(input.ExpressionAttributeValues).not.toHaveProperty(':expiresAt');
    dynamo.on(GetCommand).resolves({ Item: { pk: `signal#${signalId}`, sk: 'keys', keys: new Set(['a']), observedAt: '2024-03-05', receivedAt: 'r' } });
    expect(await index.indexed(signalId)).toEqual({ signalId, keys: ['a'], observedAt: '2024-03-05', receivedAt: 'r' });
    const { expiresAt: _, ...lasting } = entry;
    dynamo.on(QueryCommand).resolves({ Items: [{ pk: key, sk: `signal#2024-03-05#${signalId}`, ...lasting }] });
    expect((await index.observedThrough(key, '2024-03-05', 5)).entries).toEqual([lasting]);
  });

  it("reads the signal's own entry, its keys from the set", async () => {
    dynamo
      .on(GetCommand)
      .resolves({ Item: { pk: `signal#${signalId}`, sk: 'keys', keys: new Set(['b', 'a']), observedAt: '2024-03-05', receivedAt: 'r', expiresAt: 5 } });
    expect(await index.indexed(signalId)).toEqual({ signalId, keys: ['a', 'b'], observedAt: '2024-03-05', receivedAt: 'r', expiresAt: 5 });
    dynamo.on(GetCommand).resolves({});
    expect(await index.indexed(signalId)).toBeUndefined();
  });

  it('queries one key through a day, earliest first, one past the limit to tell whether there are more', async () => {
    const item = (i: number) => ({ pk: key, sk: `signal#2024-03-0${i}#id-${i}`, ...entry, signalId: `id-${i}` });
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [item(1)], LastEvaluatedKey: { pk: key, sk: 'x' } })
      .resolvesOnce({ Items: [item(2), item(3)] });
    const { entries, more } = await index.observedThrough(key, '2024-03-05', 2);
    expect(entries.map((e) => e.signalId)).toEqual(['id-1', 'id-2']);
    expect(more).toBe(true);
    const [first, second] = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({
      KeyConditionExpression: 'pk = :key AND sk BETWEEN :first AND :through',
      ExpressionAttributeValues: { ':key': key, ':first': 'signal#', ':through': 'signal#2024-03-05#~' },
      Limit: 3,
    });
    expect(second).toMatchObject({ Limit: 2, ExclusiveStartKey: { pk: key, sk: 'x' } });
  });

  it('deletes an entry by its key and day, and the own entry', async () => {
    dynamo.on(DeleteCommand).resolves({});
    await index.remove(key, entry);
    await index.forget(signalId);
    expect(dynamo.commandCalls(DeleteCommand).map((c) => c.args[0].input.Key)).toEqual([
      { pk: key, sk: `signal#2024-03-05#${signalId}` },
      { pk: `signal#${signalId}`, sk: 'keys' },
    ]);
  });
});
