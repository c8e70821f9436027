import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ClaimOutcome, IntakeClaim, IntakeClaimStore } from '#domain/intake/index.js';
import { documentClient } from './document-client.js';

export class DynamoDbClaimStore implements IntakeClaimStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {
    this.documents = documentClient(client);
  }

  async claim(claim: IntakeClaim): Promise<ClaimOutcome> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionDays * 86_400;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: claim.claimKey, signalId: claim.signalId, fingerprint: claim.fingerprint, expiresAt },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // The document client translates responses, not errors: the old item comes back as attribute values.
      const existing = error.Item
        ? unmarshall(error.Item)
        : ((await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: claim.claimKey }, ConsistentRead: true }))).Item ?? {});
      return { status: 'exists', signalId: String(existing.signalId), fingerprint: String(existing.fingerprint) };
    }
  }

  async find(claimKey: string) {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: claimKey }, ConsistentRead: true }));
    return Item && { signalId: String(Item.signalId), fingerprint: String(Item.fingerprint) };
  }
}
