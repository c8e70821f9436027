import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_KEYS, DynamoDbAuditLog, sortKeyOf } from '#adapters/dynamodb/audit-log.js';
import { EMPTY_HEAD, GENESIS_HASH } from '#domain/casework/index.js';
import { tables } from '../../../../infra/resources.js';
import { chain } from '../../domain/casework/audit/fixtures.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const log = new DynamoDbAuditLog(new DynamoDBClient({}), 'audit');
beforeEach(() => dynamo.reset());

const [first, second, third] = chain(3) as [ReturnType<typeof chain>[number], ReturnType<typeof chain>[number], ReturnType<typeof chain>[number]];
const itemOf = ({ sequence, signalId, ...rest }: typeof first) => ({ pk: 'entry', sk: sortKeyOf(sequence), ...rest, ...(signalId !== null && { signalId }) });
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

describe('DynamoDbAuditLog: the table it expects', () => {
  it('uses the key layout and index names the table is described with', () => {
    expect(tables.audit).toMatchObject({ partitionKey: 'pk', sortKey: 'sk' });
    expect(tables.audit.indexes.map((i) => i.name)).toEqual([AUDIT_KEYS.bySignal, AUDIT_KEYS.byTime]);
    expect(sortKeyOf(42)).toBe('000000000000042');
    expect(sortKeyOf(10) > sortKeyOf(9)).toBe(true);
  });
});

describe('DynamoDbAuditLog: appending', () => {
  it('appends the first entry in one transaction: the entry only if its key is free, the head only if there is none yet', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    expect(await log.append(first, EMPTY_HEAD)).toBe(true);
    const { TransactItems } = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input;
    expect(TransactItems).toEqual([
      {
        Put: {
          TableName: 'audit',
          Item: {
            pk: 'entry',
            sk: '000000000000001',
            at: first.at,
            organisation: first.organisation,
            keyHash: first.keyHash,
            action: first.action,
            signalId: first.signalId,
            purpose: first.purpose,
            previousHash: GENESIS_HASH,
            hash: first.hash,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      {
        Update: {
          TableName: 'audit',
          Key: { pk: 'head', sk: '000000000000000' },
          UpdateExpression: 'SET #sequence = :sequence, #hash = :hash, #at = :at',
          ConditionExpression: 'attribute_not_exists(#sequence)',
          ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash', '#at': 'at' },
          ExpressionAttributeValues: { ':sequence': 1, ':hash': first.hash, ':at': first.at },
        },
      },
    ]);
  });

  it('moves the head on only from the head the entry was chained onto, and stores no signalId for none', async () => {
    dynamo.on(TransactWriteCommand).resolves({});
    const previous = { sequence: 2, hash: second.hash, at: second.at };
    expect(third.signalId).toBeNull();
    await log.append(third, previous);
    const [put, update] = dynamo.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(put!.Put!.Item).not.toHaveProperty('signalId');
    expect(put!.Put!.Item).toMatchObject({ pk: 'entry', sk: '000000000000003', previousHash: second.hash });
    expect(update!.Update).toMatchObject({
      ConditionExpression: '#sequence = :previous AND #hash = :previousHash',
      ExpressionAttributeValues: { ':sequence': 3, ':hash': third.hash, ':at': third.at, ':previous': 2, ':previousHash': second.hash },
    });
  });

  it('says false when another append came first (a condition failed, or a transaction on the head was under way)', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ConditionalCheckFailed', 'None')).rejectsOnce(cancelled('None', 'ConditionalCheckFailed'));
    expect(await log.append(first, EMPTY_HEAD)).toBe(false);
    expect(await log.append(first, EMPTY_HEAD)).toBe(false);
    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('TransactionConflict', 'None'));
    expect(await log.append(first, EMPTY_HEAD)).toBe(false);
  });

  it('throws what is no lost race', async () => {
    dynamo.on(TransactWriteCommand).rejectsOnce(cancelled('ValidationError', 'None'));
    await expect(log.append(first, EMPTY_HEAD)).rejects.toBeInstanceOf(TransactionCanceledException);
    dynamo.reset();
    dynamo.on(TransactWriteCommand).rejectsOnce(Object.assign(new Error('slow'), { name: 'TimeoutError' }));
    await expect(log.append(first, EMPTY_HEAD)).rejects.toThrow('slow');
  });

  it('reads the head strongly consistently; an empty log is at 0 on 64 zeros', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { pk: 'head', sk: '000000000000000', sequence: 3, hash: third.hash, at: third.at } });
    expect(await log.head()).toEqual(EMPTY_HEAD);
    expect(await log.head()).toEqual({ sequence: 3, hash: third.hash, at: third.at });
    expect(dynamo.commandCalls(GetCommand)[0]!.args[0].input).toEqual({ TableName: 'audit', Key: { pk: 'head', sk: '000000000000000' }, ConsistentRead: true });
  });
});

describe('DynamoDbAuditLog: reading', () => {
  it('reads entries after a sequence in order, consistently, as many as asked over several responses', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(first)], LastEvaluatedKey: { pk: 'entry', sk: '000000000000001' } })
      .resolvesOnce({ Items: [itemOf(second)] });
    expect(await log.entriesAfter(0, 2)).toEqual([first, second]);
    const [a, b] = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(a).toEqual({
      TableName: 'audit',
      KeyConditionExpression: 'pk = :partition AND sk > :after',
      ExpressionAttributeValues: { ':partition': 'entry', ':after': '000000000000000' },
      ConsistentRead: true,
      Limit: 2,
    });
    expect(b).toMatchObject({ Limit: 1, ExclusiveStartKey: { pk: 'entry', sk: '000000000000001' } });
  });

  it("reads a signal's entries from its index, and finds a period's first entry in the time index", async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(second)] })
      .resolvesOnce({ Items: [{ pk: 'entry', sk: '000000000000002', at: second.at }] });
    expect(await log.signalEntriesAfter(first.signalId!, 1, 10)).toEqual([second]);
    expect(await log.firstSequenceFrom('2026-03-12T09:02:00.000Z')).toBe(2);
    const [bySignal, byTime] = dynamo.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(bySignal).toMatchObject({
      IndexName: 'bySignal',
      KeyConditionExpression: 'signalId = :signalId AND sk > :after',
      ExpressionAttributeValues: { ':signalId': first.signalId, ':after': '000000000000001' },
      Limit: 10,
    });
    expect(byTime).toMatchObject({
      IndexName: 'byTime',
      KeyConditionExpression: 'pk = :partition AND #at >= :at',
      ExpressionAttributeValues: { ':partition': 'entry', ':at': '2026-03-12T09:02:00.000Z' },
      Limit: 1,
    });
  });

  it('gives back what is stored as it is, so that verify sees a change as a broken hash rather than an error', async () => {
    const { purpose: _, ...withoutPurpose } = itemOf(first);
    dynamo.on(QueryCommand).resolves({ Items: [{ ...withoutPurpose, action: 'peek' }] });
    expect(await log.entriesAfter(0, 1)).toEqual([{ ...first, purpose: '', action: 'peek' }]);
  });

  it('reads the whole log page by page', async () => {
    dynamo
      .on(QueryCommand)
      .resolvesOnce({ Items: [itemOf(first), itemOf(second)] })
      .resolvesOnce({ Items: [itemOf(third)] });
    const all = [];
    for await (const entry of log.entries(2)) all.push(entry);
    expect(all).toEqual([first, second, third]);
    expect(dynamo.commandCalls(QueryCommand)[1]!.args[0].input.ExpressionAttributeValues).toEqual({ ':partition': 'entry', ':after': '000000000000002' });
  });
});
