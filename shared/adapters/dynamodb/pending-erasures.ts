import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingErasure, PendingErasures } from '#domain/casework/erasure/index.js';
import { documentClient } from './document-client.js';

/**
 * The partition of the pending erasures in the links table: apart from the link entries (`key#…`) and the
 * signals' own entries (`signal#…`), so no query of the index ever meets one, and IAM can tell them apart
 * (`dynamodb:LeadingKeys`).
 */
export const PENDING_ERASURE_PARTITION = 'pending-erasure';

const itemKey = (erasureId: string) => ({ pk: PENDING_ERASURE_PARTITION, sk: erasureId });

/**
 * The pending erasures in the links table: `pk = pending-erasure`, `sk = <erasureId>`, with the index keys
 * (pseudonyms) as a list, who asked, why, and `expiresAt`, the table's TTL attribute: DynamoDB removes a
 * pending erasure its sweep did not, as a backstop. They are few (one per erasure, for 15 days), so one
 * partition holds them all.
 */
export class DynamoDbPendingErasures implements PendingErasures {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async add(pending: PendingErasure): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { ...itemKey(pending.erasureId), ...pending } }));
  }

  async list(): Promise<PendingErasure[]> {
    const found: PendingErasure[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': PENDING_ERASURE_PARTITION },
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        found.push({
          erasureId: String(item.erasureId),
          keys: (item.keys as unknown[]).map(String),
          erasedAt: String(item.erasedAt),
          organisation: String(item.organisation),
          keyHash: item.keyHash === undefined ? undefined : String(item.keyHash),
          purpose: String(item.purpose),
          expiresAt: Number(item.expiresAt),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async remove(erasureId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: itemKey(erasureId) }));
  }
}
