import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/dynamodb/document-client.js';
import { scanByKeyPrefix } from '#adapters/dynamodb/prefix-scan.js';

const dynamo = mockClient(DynamoDBDocumentClient);
beforeEach(() => dynamo.reset());

describe('scanByKeyPrefix', () => {
  it('filters by the prefix in DynamoDB and reads every page, giving each key without its prefix', async () => {
    dynamo
      .on(ScanCommand)
      .resolvesOnce({ Items: [{ pk: 'key#a', organisation: 'A' }], LastEvaluatedKey: { pk: 'key#a' } })
      .resolvesOnce({ Items: [{ pk: 'key#b', organisation: 'B' }] });
    const found = await scanByKeyPrefix(documentClient(new DynamoDBClient({})), 'partners', 'key#');
    expect(found).toEqual([
      { key: 'a', item: { pk: 'key#a', organisation: 'A' } },
      { key: 'b', item: { pk: 'key#b', organisation: 'B' } },
    ]);
    const inputs = dynamo.commandCalls(ScanCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toMatchObject({ TableName: 'partners', FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': 'key#' } });
    expect(inputs[1]!.ExclusiveStartKey).toEqual({ pk: 'key#a' });
  });
});
