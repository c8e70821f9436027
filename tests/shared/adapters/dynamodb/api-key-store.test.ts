import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';

const dynamo = mockClient(DynamoDBDocumentClient);
const store = new DynamoDbApiKeyStore(new DynamoDBClient({}), 'partners', 0);
beforeEach(() => dynamo.reset());

const drenthe = { organisation: 'ZVH Drenthe', sourceType: 'overig', scopes: ['signals:triage'], region: 'noord-nederland', province: 'DR' };

describe("DynamoDbApiKeyStore: a triage key's area", () => {
  it('stores the province beside the principal, under the hash only', async () => {
    dynamo.on(PutCommand).resolves({});
    await store.put('a'.repeat(64), drenthe);
    expect(dynamo.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ pk: `key#${'a'.repeat(64)}`, ...drenthe });
  });

  it('returns the province with the principal, and none for a key of the whole region', async () => {
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'key#a', ...drenthe, createdAt: '2026-03-01T00:00:00Z' } })
      .resolvesOnce({ Item: { pk: 'key#b', ...drenthe, province: undefined } });
    expect(await store.findByHash('a')).toEqual(drenthe);
    expect(await store.findByHash('b')).not.toHaveProperty('province');
  });

  it('lists the province for an operator', async () => {
    dynamo.on(ScanCommand).resolves({ Items: [{ pk: 'key#a', ...drenthe, createdAt: '2026-03-01T00:00:00Z' }] });
    expect(await store.list()).toEqual([expect.objectContaining({ keyHash: 'a', province: 'DR' })]);
  });
});

describe("DynamoDbApiKeyStore: an organisation's legal basis", () => {
  const emmen = {
    organisation: 'Gemeente Emmen',
    sourceType: 'gemeente',
    scopes: ['signals:write'],
    region: 'noord-nederland',
    legalBasis: 'meldcode' as const,
  };

  it('returns and lists the legal basis of a key made with one, and none for a key made before it was recorded', async () => {
    const { legalBasis: _, ...older } = emmen;
    dynamo
      .on(GetCommand)
      .resolvesOnce({ Item: { pk: 'key#c', ...emmen, createdAt: '2026-03-01T00:00:00Z' } })
      .resolvesOnce({ Item: { pk: 'key#d', ...older, createdAt: '2025-03-01T00:00:00Z' } });
    expect(await store.findByHash('c')).toEqual(emmen);
    expect(await store.findByHash('d')).toEqual(older);
    dynamo.on(ScanCommand).resolves({ Items: [{ pk: 'key#c', ...emmen }] });
    expect(await store.list()).toEqual([expect.objectContaining({ keyHash: 'c', legalBasis: 'meldcode' })]);
  });
});
