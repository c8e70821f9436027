import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { RetentionCandidates } from '#domain/casework/erasure/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { documentClient } from './document-client.js';

/**
 * The retention sweep's candidates: one Scan of the signals table, filtered on the table's side to the
 * signals last changed (else received) before the cutoff that have not been stripped since, and to those
 * still carrying a whole-item expiry. ISO 8601 times in UTC compare as strings. A signal stripped and then
 * changed again (a decision note added) is a candidate once more: `erasedAt < changedAt`.
 *
 * A scan reads every item, whatever the filter lets through; at the table's size (a few thousand signals a
 * year) one run a day costs a few cents and seconds (see docs/deploying.md#retention).
 */
export class DynamoDbRetentionCandidates implements RetentionCandidates {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async *pages(cutoff: string): AsyncIterable<StoredSignal[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression:
            'attribute_exists(#expiresAt) OR ((attribute_not_exists(#erasedAt) OR #erasedAt < #changedAt) AND (#changedAt < :cutoff OR (attribute_not_exists(#changedAt) AND #receivedAt < :cutoff)))',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt', '#erasedAt': 'erasedAt', '#changedAt': 'changedAt', '#receivedAt': 'receivedAt' },
          ExpressionAttributeValues: { ':cutoff': cutoff },
          ExclusiveStartKey: start,
        }),
      );
      if (page.Items?.length) yield page.Items as StoredSignal[];
      start = page.LastEvaluatedKey;
    } while (start);
  }
}
