import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ClaimOutcome, IntakeClaim, IntakeClaimStore } from '#domain/intake/index.js';

export class DynamoDbClaimStore implements IntakeClaimStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {}

  async claim(claim: IntakeClaim): Promise<ClaimOutcome> {
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionDays * 86_400;
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk: claim.claimKey, signalId: claim.signalId, fingerprint: claim.fingerprint, expiresAt }),
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 'claimed' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = error.Item
        ? unmarshall(error.Item)
        : unmarshall(
            (await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: claim.claimKey }), ConsistentRead: true })))
              .Item ?? {},
          );
      return { status: 'exists', signalId: String(existing.signalId), fingerprint: String(existing.fingerprint) };
    }
  }
}
