import { GetItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { RateCounter } from '#domain/intake/web/index.js';

/** Rate-limit counters in the intake-claims table (prefix `rate#`), expired by its TTL. */
export class DynamoDbRateCounter implements RateCounter {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async increment(key: string, expiresAt: number): Promise<number> {
    const { Attributes } = await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: key }),
        UpdateExpression: 'ADD hits :one SET expiresAt = :expiresAt',
        ExpressionAttributeValues: marshall({ ':one': 1, ':expiresAt': expiresAt }),
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(unmarshall(Attributes ?? {}).hits ?? 0);
  }

  async read(key: string): Promise<number> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: key }), ProjectionExpression: 'hits' }));
    return Number(unmarshall(Item ?? {}).hits ?? 0);
  }
}
