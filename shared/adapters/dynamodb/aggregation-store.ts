import {
  GetItemCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { CounterDeltas, AggregationStore, AppliedState, CounterReader } from '#domain/statistics/index.js';

const appliedKey = (signalId: string) => marshall({ pk: `applied#${signalId}` });

/** Counter items and the aggregator's per-signal applied state share one table. */
export class DynamoDbAggregationStore implements AggregationStore, CounterReader {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async applied(signalId: string): Promise<AppliedState | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: appliedKey(signalId), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { version, contribution } = unmarshall(Item);
    return { version: Number(version), contribution: contribution ?? null };
  }

  async apply(signalId: string, previousVersion: number | undefined, next: AppliedState, deltas: CounterDeltas): Promise<boolean> {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...appliedKey(signalId), ...marshall(next, { removeUndefinedValues: true }) },
          ...(previousVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: marshall({ ':previous': previousVersion }) }),
        },
      },
    ];
    for (const [pk, attributes] of deltas) {
      const entries = [...attributes];
      items.push({
        Update: {
          TableName: this.tableName,
          Key: marshall({ pk }),
          UpdateExpression: `ADD ${entries.map((_, i) => `#a${i} :d${i}`).join(', ')}`,
          ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#a${i}`, name])),
          ExpressionAttributeValues: marshall(Object.fromEntries(entries.map(([, delta], i) => [`:d${i}`, delta]))),
        },
      });
    }
    try {
      await this.client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') return false;
      throw error;
    }
  }

  async read(counterKey: string): Promise<Record<string, number>> {
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: counterKey }) }));
    if (!Item) return {};
    const { pk: _pk, ...counts } = unmarshall(Item);
    return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]));
  }
}
