import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbReleaseStore } from '#adapters/dynamodb/release-store.js';
import type { PublicRelease } from '#domain/statistics/index.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbReleaseStore(new DynamoDBClient({}), 'stats', true);
beforeEach(() => dynamo.reset());

const release: PublicRelease = {
  releaseId: '2026-06-01T06:00:00.000Z~0a0b0c0d',
  releasedAt: '2026-06-01T06:00:00.000Z',
  nextPossibleAt: '2026-06-02T06:00:00.000Z',
  changesAtRelease: 12,
  uncounted: 0,
};
const previous: PublicRelease = { ...release, releaseId: '2026-05-01T06:00:00.000Z~01020304', changesAtRelease: 5 };
const prefix = `release#noord-nederland#${release.releaseId}#`;

describe('DynamoDbReleaseStore', () => {
  it("reads the region's latest release from its pointer, and nothing before the first", async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'release#noord-nederland#latest', ...release, previousReleaseId: previous.releaseId } })
      .resolvesOnce({});
    expect(await store.latest('noord-nederland')).toEqual(release);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({
      TableName: 'stats',
      Key: { pk: 'release#noord-nederland#latest' },
      ConsistentRead: true,
    });
    expect(await store.latest('noord-nederland')).toBeUndefined();
    // The public route's store reads the pointer eventually consistently.
    dynamo.on(GetCommand).resolves({});
    await new DynamoDbReleaseStore(new DynamoDBClient({}), 'stats').latest('noord-nederland');
    expect(dynamo.commandCalls(GetCommand).at(-1)!.args[0].input.ConsistentRead).toBe(false);
  });

  it("reads a release's items strongly consistently, by counter key, with their key sums and without their change time", async () => {
    dynamo.on(BatchGetCommand).resolves({
      Responses: { stats: [{ pk: `${prefix}counter#region#noord-nederland#2023`, total: 3, 'k:total': 401, 'form#arbeid': 3, updatedAt: 'x' }] },
    });
    const items = await store.readReleased('noord-nederland', release.releaseId, [
      'counter#region#noord-nederland#2023',
      'counter#region#noord-nederland#2022',
    ]);
    expect([...items]).toEqual([['counter#region#noord-nederland#2023', { counts: { total: 3, 'k:total': 401, 'form#arbeid': 3 } }]]);
    expect(dynamo.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.stats).toEqual({
      Keys: [{ pk: `${prefix}counter#region#noord-nederland#2023` }, { pk: `${prefix}counter#region#noord-nederland#2022` }],
      ConsistentRead: true,
    });
  });

  it('reads the change counter and the live items strongly consistently, 100 keys a request, with the number of markers', async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'changes#noord-nederland', changes: 7, writes: 9 } });
    expect(await store.changeCounter('noord-nederland')).toEqual({ changes: 7, writes: 9 });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ Key: { pk: 'changes#noord-nederland' }, ConsistentRead: true });

    const keys = Array.from({ length: 150 }, (_, i) => `counter#municipality#GM${String(i).padStart(4, '0')}#2023`);
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { stats: [{ pk: keys[3], total: 2, 'k:total': 99 }] } })
      .resolvesOnce({ Responses: { stats: [{ pk: 'uncounted#noord-nederland', s1: { markedAt: 'x', error: 'E' }, s2: { markedAt: 'y', error: 'E' } }] } });
    const live = await store.readLive('noord-nederland', keys);
    expect([...live.items]).toEqual([[keys[3], { counts: { total: 2, 'k:total': 99 } }]]);
    expect(live.uncounted).toBe(2);
    const requests = dynamo.commandCalls(BatchGetCommand).map((c) => c.args[0].input.RequestItems!.stats!);
    expect(requests.map((r) => r.Keys!.length)).toEqual([100, 51]);
    expect(requests.every((r) => r.ConsistentRead === true)).toBe(true);
  });

  it('publishes: the manifest, the items 25 a request, then the pointer on condition; and removes the release before the previous', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo
      .on(PutCommand, { Item: { pk: 'release#noord-nederland#latest' } })
      .resolves({ Attributes: { pk: 'release#noord-nederland#latest', ...previous, previousReleaseId: 'oldest' } });
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({ Item: { pk: 'release#noord-nederland#oldest', counterKeys: ['counter#region#noord-nederland#2023'] } });
    const items = new Map(
      Array.from({ length: 30 }, (_, i) => [`counter#municipality#GM${String(i).padStart(4, '0')}#2023`, { counts: { total: i, 'k:total': i * 7 } }] as const),
    );
    expect(await store.publish('noord-nederland', release, items, previous)).toBe(true);

    const puts = dynamo.commandCalls(PutCommand).map((c) => c.args[0].input);
    expect(puts[0]).toEqual({ TableName: 'stats', Item: { pk: `release#noord-nederland#${release.releaseId}`, counterKeys: [...items.keys()].sort() } });
    expect(puts[1]).toEqual({
      TableName: 'stats',
      Item: { pk: 'release#noord-nederland#latest', ...release, previousReleaseId: previous.releaseId },
      ConditionExpression: 'releaseId = :previous',
      ExpressionAttributeValues: { ':previous': previous.releaseId },
      ReturnValues: 'ALL_OLD',
    });
    const writes = dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!.stats!);
    expect(writes.slice(0, 2).map((w) => w.length)).toEqual([25, 5]);
    expect(writes[0]![0]).toEqual({ PutRequest: { Item: { pk: `${prefix}counter#municipality#GM0000#2023`, total: 0, 'k:total': 0 } } });
    // The release before the previous: its items, then its manifest.
    expect(writes.slice(2)).toEqual([
      [{ DeleteRequest: { Key: { pk: 'release#noord-nederland#oldest#counter#region#noord-nederland#2023' } } }],
      [{ DeleteRequest: { Key: { pk: 'release#noord-nederland#oldest' } } }],
    ]);
  });

  it('the first release needs no pointer yet; when another came first it removes its own items and says so', async () => {
    dynamo.on(PutCommand).resolves({});
    dynamo.on(PutCommand, { Item: { pk: 'release#noord-nederland#latest' } }).rejects(new ConditionalCheckFailedException({ message: 'no', $metadata: {} }));
    dynamo.on(BatchWriteCommand).resolves({});
    dynamo.on(GetCommand).resolves({ Item: { pk: `release#noord-nederland#${release.releaseId}`, counterKeys: ['counter#region#noord-nederland#2023'] } });
    const items = new Map([['counter#region#noord-nederland#2023', { counts: { total: 5 } }]]);
    expect(await store.publish('noord-nederland', release, items, undefined)).toBe(false);
    expect(dynamo.commandCalls(PutCommand)[1]!.args[0].input).toMatchObject({ ConditionExpression: 'attribute_not_exists(pk)' });
    const deletes = dynamo
      .commandCalls(BatchWriteCommand)
      .flatMap((c) => c.args[0].input.RequestItems!.stats!)
      .flatMap((r) => (r.DeleteRequest ? [r.DeleteRequest.Key!.pk] : []));
    expect(deletes).toEqual([`${prefix}counter#region#noord-nederland#2023`, `release#noord-nederland#${release.releaseId}`]);
  });

  it('writes again what BatchWriteItem left unprocessed', async () => {
    dynamo.on(PutCommand).resolves({ Attributes: undefined });
    const left = { stats: [{ PutRequest: { Item: { pk: 'x' } } }] };
    dynamo.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: left }).resolves({});
    await store.publish('noord-nederland', release, new Map([['counter#region#noord-nederland#2023', { counts: { total: 5 } }]]), undefined);
    const calls = dynamo.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems);
    expect(calls[1]).toEqual(left);
  });
});
