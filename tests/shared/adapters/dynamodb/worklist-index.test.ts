import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbWorklistIndex, filterExpression, WORKLIST_INDEX } from '#adapters/dynamodb/worklist-index.js';
import { WORKLIST_INDEX_FIELDS } from '#domain/casework/index.js';
import { tables } from '../../../../infra/resources.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const index = new DynamoDbWorklistIndex(new DynamoDBClient({}), 'signals');
beforeEach(() => dynamo.reset());

const ID = '00000000-0000-4000-8000-000000000001';

describe('DynamoDbWorklistIndex.scan', () => {
  it("queries the region's partition of the byRegion index newest first, at most `evaluate` signals, naming only the row's fields", async () => {
    dynamo.on(QueryCommand).resolves({ Items: [{ signalId: ID, region: 'noord-nederland', receivedAt: 'r', status: 'ontvangen' }] });
    expect(await index.scan({ region: 'noord-nederland', filter: {}, evaluate: 26 })).toEqual({
      rows: [{ signalId: ID, region: 'noord-nederland', receivedAt: 'r', status: 'ontvangen' }],
    });
    const input = dynamo.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'signals',
      IndexName: 'byRegion',
      KeyConditionExpression: '#region = :region',
      ExpressionAttributeValues: { ':region': 'noord-nederland' },
      ScanIndexForward: false,
      Limit: 26,
    });
    expect(input.FilterExpression).toBeUndefined();
    const projected = input.ProjectionExpression!.split(', ').map((name) => input.ExpressionAttributeNames![name]);
    expect(projected.sort()).toEqual(['signalId', 'region', 'receivedAt', ...WORKLIST_INDEX_FIELDS].sort());
  });

  it('bounds the period by the sort key and starts after the cursor, naming where it stopped', async () => {
    dynamo.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { signalId: ID, region: 'noord-nederland', receivedAt: '2026-03-01T10:00:00.000Z' } });
    const page = await index.scan({
      region: 'noord-nederland',
      receivedFrom: '2026-02-28T23:00:00.000Z',
      receivedBefore: '2026-03-01T23:00:00.000Z',
      after: { receivedAt: '2026-03-01T12:00:00.000Z', signalId: ID },
      filter: {},
      evaluate: 10,
    });
    expect(page).toEqual({ rows: [], last: { receivedAt: '2026-03-01T10:00:00.000Z', signalId: ID } });
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({
      KeyConditionExpression: '#region = :region AND #receivedAt BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':from': '2026-02-28T23:00:00.000Z', ':to': '2026-03-01T22:59:59.999Z' },
      ExclusiveStartKey: { region: 'noord-nederland', receivedAt: '2026-03-01T12:00:00.000Z', signalId: ID },
    });
  });

  it('states the filter as a FilterExpression', () => {
    expect(filterExpression({ statuses: ['te-verrijken', 'in-beoordeling'], province: 'DR', municipality: 'GM0114', reviewDueBy: '2026-03-20' })).toEqual({
      expression:
        '#status IN (:status0, :status1) AND #province = :province AND #municipality = :municipality AND #reviewOn <= :reviewDueBy AND NOT (#status IN (:closed0, :closed1))',
      names: { '#status': 'status', '#province': 'province', '#municipality': 'municipality', '#reviewOn': 'reviewOn' },
      values: {
        ':status0': 'te-verrijken',
        ':status1': 'in-beoordeling',
        ':province': 'DR',
        ':municipality': 'GM0114',
        ':reviewDueBy': '2026-03-20',
        ':closed0': 'afgesloten',
        ':closed1': 'ingetrokken',
      },
    });
  });

  it('is the index the table defines, projecting exactly the fields the worklist reads and nothing personal', () => {
    const defined = tables.signals.indexes.find((i) => i.name === WORKLIST_INDEX)!;
    expect(defined).toMatchObject({ partitionKey: 'region', sortKey: 'receivedAt', projection: 'include' });
    expect(defined.attributes).toEqual(WORKLIST_INDEX_FIELDS);
    for (const personal of ['subject', 'reporter', 'externalRef', 'description', 'decisions']) expect(defined.attributes).not.toContain(personal);
  });
});

describe('DynamoDbWorklistIndex.subjectFacts', () => {
  it('reads only the age band and gender of each person, by document path, asking again for keys left unprocessed', async () => {
    dynamo
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { signals: [{ signalId: ID, subject: { ageBand: '12-17', gender: 'v' } }] },
        UnprocessedKeys: { signals: { Keys: [{ signalId: 'b' }] } },
      })
      .resolvesOnce({ Responses: { signals: [{ signalId: 'b' }] } });
    const facts = await index.subjectFacts([ID, 'b', ID]);
    expect([...facts]).toEqual([
      [ID, { ageBand: '12-17', gender: 'v' }],
      ['b', {}],
    ]);
    const [first, retry] = dynamo.commandCalls(BatchGetCommand).map((call) => call.args[0].input.RequestItems!.signals!);
    expect(first).toMatchObject({ Keys: [{ signalId: ID }, { signalId: 'b' }], ProjectionExpression: '#id, #subject.#ageBand, #subject.#gender' });
    // The unprocessed key asked again with the same projection, though the answer did not echo it.
    expect(retry).toMatchObject({ Keys: [{ signalId: 'b' }], ProjectionExpression: '#id, #subject.#ageBand, #subject.#gender' });
  });

  it('reads nothing for no signals', async () => {
    expect((await index.subjectFacts([])).size).toBe(0);
    expect(dynamo.commandCalls(BatchGetCommand)).toHaveLength(0);
  });
});
