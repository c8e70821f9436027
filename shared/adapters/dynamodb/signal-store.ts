import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import { documentClient } from './document-client.js';

/** Attributes no change may set or remove: the key, and the version, which only the update itself raises. */
const FIXED: readonly string[] = ['signalId', 'version'];

/**
 * A signal's change as one conditional update: SET the changes, REMOVE the named attributes, raise the
 * version, only while it is still `version`. For UpdateItem, and as one action of a TransactWriteItems
 * (the triage writes its change and its audit entry together, see audited-signal-writer.ts).
 */
export function signalUpdate(
  tableName: string,
  signalId: string,
  version: number,
  changes: Partial<StoredSignal>,
  remove: readonly (keyof StoredSignal)[] = [],
) {
  const entries = Object.entries(changes).filter(([name, value]) => value !== undefined && !FIXED.includes(name));
  const removed = remove.filter((name) => !FIXED.includes(name) && changes[name] === undefined);
  const removal = removed.length ? ` REMOVE ${removed.map((_, i) => `#r${i}`).join(', ')}` : '';
  return {
    TableName: tableName,
    Key: { signalId },
    UpdateExpression: `SET ${[...entries.map((_, i) => `#f${i} = :v${i}`), '#version = :next'].join(', ')}${removal}`,
    ConditionExpression: '#version = :version',
    ExpressionAttributeNames: {
      '#version': 'version',
      ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ...Object.fromEntries(removed.map((name, i) => [`#r${i}`, name])),
    },
    ExpressionAttributeValues: { ':version': version, ':next': version + 1, ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])) },
  };
}

export class DynamoDbSignalStore implements SignalStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async putIfAbsent(signal: StoredSignal): Promise<'stored' | 'duplicate'> {
    try {
      await this.documents.send(new PutCommand({ TableName: this.tableName, Item: signal, ConditionExpression: 'attribute_not_exists(signalId)' }));
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async get(signalId: string): Promise<StoredSignal | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { signalId }, ConsistentRead: true }));
    return Item as StoredSignal | undefined;
  }

  async update(signalId: string, version: number, changes: Partial<StoredSignal>, remove: readonly (keyof StoredSignal)[] = []): Promise<boolean> {
    try {
      await this.documents.send(new UpdateCommand(signalUpdate(this.tableName, signalId, version, changes, remove)));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
