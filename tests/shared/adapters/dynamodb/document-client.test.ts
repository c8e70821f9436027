import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '#adapters/dynamodb/document-client.js';

/** The attribute values a put would send, caught before the request leaves. */
async function wireItem(item: Record<string, unknown>): Promise<unknown> {
  const client = new DynamoDBClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  let sent: unknown;
  client.middlewareStack.add(
    () => async (args) => {
      sent = (args.input as { Item: unknown }).Item;
      return { output: { $metadata: {} }, response: {} };
    },
    { step: 'build' },
  );
  await documentClient(client).send(new PutCommand({ TableName: 't', Item: item }));
  return sent;
}

describe('documentClient', () => {
  it('leaves optional fields that are undefined out of the item, at any depth', async () => {
    expect(await wireItem({ pk: 'a', sector: undefined, subject: { keyId: 'k', gender: undefined } })).toEqual({
      pk: { S: 'a' },
      subject: { M: { keyId: { S: 'k' } } },
    });
  });

  it('stores nulls, empty strings, empty lists and empty maps as they are, so item shapes stay the same', async () => {
    expect(await wireItem({ pk: 'a', contribution: null, ciphertext: '', additionalForms: [], pseudonyms: {} })).toEqual({
      pk: { S: 'a' },
      contribution: { NULL: true },
      ciphertext: { S: '' },
      additionalForms: { L: [] },
      pseudonyms: { M: {} },
    });
  });
});
