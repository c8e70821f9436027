import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbAuditedSignalWriter } from '#adapters/dynamodb/audited-signal-writer.js';
import { EMPTY_HEAD } from '#domain/casework/index.js';
import { chain } from '../../domain/casework/audit/fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const writer = new DynamoDbAuditedSignalWriter(new DynamoDBClient({}), 'signals', 'audit');
const [first, second] = chain(2) as [ReturnType<typeof chain>[number], ReturnType<typeof chain>[number]];
const head1 = { sequence: 1, hash: first.hash, at: first.at };
const change = { signalId: 's1', version: 4, changes: { status: 'besproken' as const, routes: ['riec' as const] }, remove: ['reviewOn' as const] };
beforeEach(() => dynamo.reset());

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoDbAuditedSignalWriter', () => {
  it("writes the signal's update, the entry and the head in one transaction, the update first", async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await writer.write(change, second, head1)).toBe('written');
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items).toHaveLength(3);
    expect(items[0]).toEqual({
      Update: {
        TableName: 'signals',
        Key: { signalId: 's1' },
        UpdateExpression: 'SET #f0 = :v0, #f1 = :v1, #version = :next REMOVE #r0',
        ConditionExpression: '#version = :version',
        ExpressionAttributeNames: { '#version': 'version', '#f0': 'status', '#f1': 'routes', '#r0': 'reviewOn' },
        ExpressionAttributeValues: { ':version': 4, ':next': 5, ':v0': 'besproken', ':v1': ['riec'] },
      },
    });
    expect(items[1]).toMatchObject({
      Put: { TableName: 'audit', Item: { pk: 'entry', sk: '000000000000002', hash: second.hash }, ConditionExpression: 'attribute_not_exists(pk)' },
    });
    expect(items[2]).toMatchObject({
      Update: { TableName: 'audit', Key: { pk: 'head' }, ExpressionAttributeValues: { ':sequence': 2, ':previous': 1, ':previousHash': first.hash } },
    });
  });

  it('chains the first entry onto an empty log', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    await writer.write(change, first, EMPTY_HEAD);
    const items = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[2]).toMatchObject({ Update: { ConditionExpression: 'attribute_not_exists(#sequence)' } });
  });

  it('tells a moved signal from a moved head by the cancellation reasons, in the order of the actions', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ConditionalCheckFailed', 'None', 'None'))
      .rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed'))
      .rejectsOnce(cancelled('None', 'ConditionalCheckFailed', 'None'))
      .rejectsOnce(cancelled('TransactionConflict', 'None', 'None'));
    expect(await writer.write(change, second, head1)).toBe('signal-moved');
    expect(await writer.write(change, second, head1)).toBe('log-moved');
    expect(await writer.write(change, second, head1)).toBe('log-moved');
    expect(await writer.write(change, second, head1)).toBe('log-moved');
  });

  it('lets any other failure through, for the handler to answer 503', async () => {
    dynamo
      .on(TransactWriteCommand)
      .rejectsOnce(cancelled('ValidationError', 'None', 'None'))
      .rejectsOnce(Object.assign(new Error('slow'), { name: 'TimeoutError' }));
    await expect(writer.write(change, second, head1)).rejects.toBeInstanceOf(TransactionCanceledException);
    await expect(writer.write(change, second, head1)).rejects.toThrow('slow');
  });

  it("reads the audit log's head strongly consistently", async () => {
    dynamo.on(GetCommand).resolves({ Item: { pk: 'head', sequence: 1, hash: first.hash, at: first.at } });
    expect(await writer.head()).toEqual(head1);
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toMatchObject({ TableName: 'audit', ConsistentRead: true });
  });
});
