import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbRetentionCandidates } from '#adapters/dynamodb/retention-candidates.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const candidates = new DynamoDbRetentionCandidates(new DynamoDBClient({}), 'signals');
beforeEach(() => dynamo.reset());

describe('DynamoDbRetentionCandidates', () => {
  it('scans the table page by page, filtered on its side by the cutoff, and yields no empty page', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ signalId: 'a' }], LastEvaluatedKey: { signalId: 'a' } })
      .resolvesOnce({ Items: [], LastEvaluatedKey: { signalId: 'b' } })
      .resolvesOnce({ Items: [{ signalId: 'c' }, { signalId: 'd' }] });
    const pages: string[][] = [];
    for await (const page of candidates.pages('2021-02-01T00:00:00.000Z')) pages.push(page.map((s) => s.signalId));
    expect(pages).toEqual([['a'], ['c', 'd']]);
    const calls = dynamo.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(calls.map((input) => input.ExclusiveStartKey)).toEqual([undefined, { signalId: 'a' }, { signalId: 'b' }]);
    expect(calls[0]).toMatchObject({
      TableName: 'signals',
      ExpressionAttributeValues: { ':cutoff': '2021-02-01T00:00:00.000Z' },
      FilterExpression: expect.stringContaining('#erasedAt < #changedAt'),
    });
  });
});
