import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { WORKLIST_INDEX_FIELDS } from '#domain/casework/index.js';
import { createTables } from '../../../infra/local/provision.js';

const dynamo = mockClient(DynamoDBClient);
beforeEach(() => dynamo.reset());

const signalsCreate = () => dynamo.commandCalls(CreateTableCommand).find((c) => c.args[0].input.TableName === 'meldroute-signals')!.args[0].input;

describe('createTables: the worklist index on one machine', () => {
  it('creates the signals table with byRegion, projecting only the worklist fields, as the CDK app does', async () => {
    dynamo.on(CreateTableCommand).resolves({});
    dynamo.on(UpdateTimeToLiveCommand).resolves({});
    dynamo.on(DescribeTableCommand).resolves({ Table: { LatestStreamArn: 'arn:stream' } });
    await createTables(new DynamoDBClient({}));
    expect(signalsCreate().GlobalSecondaryIndexes).toEqual([
      {
        IndexName: 'byRegion',
        KeySchema: [
          { AttributeName: 'region', KeyType: 'HASH' },
          { AttributeName: 'receivedAt', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...WORKLIST_INDEX_FIELDS] },
      },
    ]);
    expect(signalsCreate().AttributeDefinitions).toEqual(
      expect.arrayContaining([
        { AttributeName: 'region', AttributeType: 'S' },
        { AttributeName: 'receivedAt', AttributeType: 'S' },
      ]),
    );
  });

  it('adds the index to a signals table kept from a start before it, and waits until it is filled', async () => {
    dynamo.on(CreateTableCommand).rejects(new ResourceInUseException({ message: 'exists', $metadata: {} }));
    dynamo.on(UpdateTableCommand).resolves({});
    const withIndex = (status: 'CREATING' | 'ACTIVE') => ({
      Table: { LatestStreamArn: 'arn:stream', GlobalSecondaryIndexes: [{ IndexName: 'byRegion', IndexStatus: status }] },
    });
    const audit = { Table: { GlobalSecondaryIndexes: [{ IndexName: 'bySignal' }, { IndexName: 'byTime' }] } };
    dynamo
      .on(DescribeTableCommand, { TableName: 'meldroute-signals' })
      .resolvesOnce({ Table: { LatestStreamArn: 'arn:stream' } })
      .resolvesOnce(withIndex('CREATING'))
      .resolves(withIndex('ACTIVE'));
    dynamo.on(DescribeTableCommand, { TableName: 'meldroute-audit' }).resolves(audit);
    expect(await createTables(new DynamoDBClient({}))).toEqual({ signalsStreamArn: 'arn:stream' });
    const updates = dynamo.commandCalls(UpdateTableCommand).map((c) => c.args[0].input);
    expect(updates).toEqual([
      expect.objectContaining({
        TableName: 'meldroute-signals',
        GlobalSecondaryIndexUpdates: [{ Create: expect.objectContaining({ IndexName: 'byRegion' }) }],
      }),
    ]);
  });
});
