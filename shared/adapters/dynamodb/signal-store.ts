import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import { documentClient } from './document-client.js';

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

  async update(signalId: string, version: number, changes: Partial<StoredSignal>): Promise<boolean> {
    const entries = Object.entries(changes).filter(([name, value]) => value !== undefined && name !== 'signalId' && name !== 'version');
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { signalId },
          UpdateExpression: `SET ${[...entries.map((_, i) => `#f${i} = :v${i}`), '#version = :next'].join(', ')}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version', ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])) },
          ExpressionAttributeValues: { ':version': version, ':next': version + 1, ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])) },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
