import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';

export class DynamoDbSignalStore implements SignalStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async putIfAbsent(signal: StoredSignal): Promise<'stored' | 'duplicate'> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(signal, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(signalId)',
        }),
      );
      return 'stored';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'duplicate';
      throw error;
    }
  }

  async get(signalId: string): Promise<StoredSignal | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: marshall({ signalId }), ConsistentRead: true }),
    );
    return Item ? (unmarshall(Item) as StoredSignal) : undefined;
  }

  async update(signalId: string, version: number, changes: Partial<StoredSignal>): Promise<boolean> {
    const entries = Object.entries(changes).filter(([name, value]) => value !== undefined && name !== 'signalId' && name !== 'version');
    try {
      await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: marshall({ signalId }),
          UpdateExpression: `SET ${[...entries.map((_, i) => `#f${i} = :v${i}`), '#version = :next'].join(', ')}`,
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version', ...Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])) },
          ExpressionAttributeValues: marshall(
            { ':version': version, ':next': version + 1, ...Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])) },
            { removeUndefinedValues: true },
          ),
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
