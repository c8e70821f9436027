import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbMailSenderDirectory } from '#adapters/dynamodb/mail-sender-directory.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const directory = new DynamoDbMailSenderDirectory(new DynamoDBClient({}), 'partners', 0);
beforeEach(() => dynamo.reset());

const politie = { organisation: 'Politie Drenthe', sourceType: 'politie', region: 'noord-nederland', legalBasis: 'wettelijke-taak' as const };

describe("DynamoDbMailSenderDirectory: an organisation's legal basis", () => {
  it('stores it with the entry, and reads and lists it back; an entry made without one has none', async () => {
    dynamo.on(PutCommand).resolves({});
    await directory.put('domain#politie.nl', politie);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ pk: 'sender#domain#politie.nl', ...politie });
    const { legalBasis: _, ...older } = politie;
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'sender#domain#politie.nl', ...politie } })
      .resolvesOnce({ Item: { pk: 'sender#domain#assen.nl', ...older } });
    expect(await directory.get('domain#politie.nl')).toEqual(politie);
    expect(await directory.get('domain#assen.nl')).toEqual(older);
    dynamo.on(ScanCommand).resolves({ Items: [{ pk: 'sender#domain#politie.nl', ...politie }] });
    expect(await directory.list()).toEqual([expect.objectContaining({ entryKey: 'domain#politie.nl', legalBasis: 'wettelijke-taak' })]);
  });
});
