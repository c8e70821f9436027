import { setTimeout as sleep } from 'node:timers/promises';
import { BatchGetCommand, type BatchGetCommandInput, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const MAX_KEYS_PER_REQUEST = 100;
const ATTEMPTS = 5;

/**
 * Items of a table with partition key `pk`, by key: BatchGetItem in requests of 100 keys, asking again
 * (with a short backoff) for keys DynamoDB left unprocessed. A key without an item is absent from the map.
 */
export async function batchGetByPk(
  documents: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly string[],
  options: { consistent?: boolean } = {},
): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  const unique = [...new Set(keys)];
  for (let start = 0; start < unique.length; start += MAX_KEYS_PER_REQUEST) {
    const slice = unique.slice(start, start + MAX_KEYS_PER_REQUEST).map((pk) => ({ pk }));
    let pending: BatchGetCommandInput['RequestItems'] = { [tableName]: { Keys: slice, ...(options.consistent && { ConsistentRead: true }) } };
    for (let attempt = 1; pending; attempt++) {
      const answer: BatchGetCommandOutput = await documents.send(new BatchGetCommand({ RequestItems: pending }));
      for (const item of answer.Responses?.[tableName] ?? []) items.set(String(item.pk), item);
      pending = answer.UnprocessedKeys?.[tableName]?.Keys?.length ? answer.UnprocessedKeys : undefined;
      if (pending && attempt >= ATTEMPTS) throw new Error(`BatchGetItem left keys unprocessed after ${attempt} attempts`);
      if (pending) await sleep(25 * 2 ** attempt);
    }
  }
  return items;
}
