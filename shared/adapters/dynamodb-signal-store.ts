import { ConditionalCheckFailedException, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { SignalStore } from '../domain/ports.js';
import type { StoredSignal } from '../domain/signal-record.js';

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
}
