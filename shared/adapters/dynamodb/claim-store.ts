import { ConditionalCheckFailedException, type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { BulkClaimStore, ClaimOutcome, IntakeClaim, IntakeClaimStore } from '#domain/intake/index.js';
import { mapLimited } from '#domain/kernel/index.js';
import { batchGetByPk } from './batch-get.js';
import { documentClient } from './document-client.js';

/** TransactWriteItems takes at most 100 items; a batch of 500 signals makes 5 such requests, at once. */
const MAX_TRANSACTION_ITEMS = 100;
const PARALLEL_TRANSACTIONS = 5;

export class DynamoDbClaimStore implements IntakeClaimStore, BulkClaimStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly retentionDays: number,
  ) {
    this.documents = documentClient(client);
  }

  private itemOf(claim: IntakeClaim) {
    const expiresAt = Math.floor(Date.now() / 1000) + this.retentionDays * 86_400;
    return { pk: claim.claimKey, signalId: claim.signalId, fingerprint: claim.fingerprint, expiresAt };
  }

  async claim(claim: IntakeClaim): Promise<ClaimOutcome> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.itemOf(claim),
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

  /**
   * The same conditional puts, 100 in one TransactWriteItems. A transaction is written whole or not at all:
   * when a claim made meanwhile (or a concurrent transaction) cancels it, its claims are made one by one,
   * each answered as `claim` answers.
   */
  async claimMany(claims: readonly IntakeClaim[]): Promise<ClaimOutcome[]> {
    const outcomes = new Array<ClaimOutcome>(claims.length);
    const requests = Array.from({ length: Math.ceil(claims.length / MAX_TRANSACTION_ITEMS) }, (_, i) =>
      claims.slice(i * MAX_TRANSACTION_ITEMS, (i + 1) * MAX_TRANSACTION_ITEMS).map((claim, j) => ({ claim, index: i * MAX_TRANSACTION_ITEMS + j })),
    );
    await mapLimited(requests, PARALLEL_TRANSACTIONS, async (request) => {
      try {
        await this.documents.send(
          new TransactWriteCommand({
            TransactItems: request.map(({ claim }) => ({
              Put: { TableName: this.tableName, Item: this.itemOf(claim), ConditionExpression: 'attribute_not_exists(pk)' },
            })),
          }),
        );
        for (const { index } of request) outcomes[index] = { status: 'claimed' };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        await mapLimited(request, PARALLEL_TRANSACTIONS * 4, async ({ claim, index }) => {
          outcomes[index] = await this.claim(claim);
        });
      }
    });
    return outcomes;
  }

  /** BatchGetItem, 100 keys a request, strongly consistent: a claim made a moment ago is seen. */
  async findMany(claimKeys: readonly string[]) {
    const items = await batchGetByPk(this.documents, this.tableName, claimKeys, { consistent: true });
    return new Map([...items].map(([pk, item]) => [pk, { signalId: String(item.signalId), fingerprint: String(item.fingerprint) }]));
  }
}
