import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { IndexedSignal, LinkEntry, LinkIndex } from '#domain/linking/index.js';
import { documentClient } from './document-client.js';

/** An entry under a match key: sorted by the day observed, so "observed through a day" is one range of the key. */
const entryKey = (key: string, observedAt: string, signalId: string) => ({ pk: key, sk: `signal#${observedAt}#${signalId}` });
/** Above every entry of a day: `~` sorts after the hex digits and dashes of a signal id. */
const throughDay = (date: string) => `signal#${date}#~`;
/** A signal's own entry: the keys it is under. */
const ownKey = (signalId: string) => ({ pk: `signal#${signalId}`, sk: 'keys' });
/** Entries made before the retention sweep expire by TTL; newer ones carry no expiry. */
const expiryOf = (item: Record<string, unknown>) => (item.expiresAt === undefined ? {} : { expiresAt: Number(item.expiresAt) });

/**
 * The link index in the links table. Layout:
 * - `pk = key#<keyId>#<kind>#<pseudonym>`, `sk = signal#<observedAt>#<signalId>`: one item per signal under
 *   a match key (organisation, observedAt, receivedAt; expiresAt on entries made before the retention
 *   sweep, which unlinks instead). An item per entry rather than a list per key: no item grows with a
 *   person's signals, and each entry can be removed on its own.
 * - `pk = signal#<signalId>`, `sk = keys`: the signal's own entry, the string set of keys it is under.
 */
export class DynamoDbLinkIndex implements LinkIndex {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async noteKeys(signal: IndexedSignal): Promise<void> {
    const expires = signal.expiresAt !== undefined;
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: ownKey(signal.signalId),
        UpdateExpression: `SET #signalId = if_not_exists(#signalId, :signalId), #observedAt = if_not_exists(#observedAt, :observedAt), #receivedAt = if_not_exists(#receivedAt, :receivedAt)${expires ? ', #expiresAt = if_not_exists(#expiresAt, :expiresAt)' : ''} ADD #keys :keys`,
        ExpressionAttributeNames: {
          '#signalId': 'signalId',
          '#observedAt': 'observedAt',
          '#receivedAt': 'receivedAt',
          ...(expires && { '#expiresAt': 'expiresAt' }),
          '#keys': 'keys',
        },
        ExpressionAttributeValues: {
          ':signalId': signal.signalId,
          ':observedAt': signal.observedAt,
          ':receivedAt': signal.receivedAt,
          ...(expires && { ':expiresAt': signal.expiresAt }),
          ':keys': new Set(signal.keys),
        },
      }),
    );
  }

  async put(key: string, entry: LinkEntry): Promise<void> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...entryKey(key, entry.observedAt, entry.signalId), ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      // There already: a redelivery or a retry, which changes nothing.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async indexed(signalId: string): Promise<IndexedSignal | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: ownKey(signalId), ConsistentRead: true }));
    if (!Item) return undefined;
    return {
      signalId,
      keys: [...(Item.keys as Set<string>)].sort(),
      observedAt: String(Item.observedAt),
      receivedAt: String(Item.receivedAt),
      ...expiryOf(Item),
    };
  }

  async observedThrough(key: string, date: string, limit: number): Promise<{ entries: LinkEntry[]; more: boolean }> {
    const entries: LinkEntry[] = [];
    let start: Record<string, unknown> | undefined;
    // One past the limit tells whether there are more; a page ends at 1 MB, so read on until then.
    do {
      const page = await this.documents.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :key AND sk BETWEEN :first AND :through',
          ExpressionAttributeValues: { ':key': key, ':first': 'signal#', ':through': throughDay(date) },
          Limit: limit + 1 - entries.length,
          ExclusiveStartKey: start,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        entries.push({
          signalId: String(item.signalId),
          organisation: String(item.organisation),
          observedAt: String(item.observedAt),
          receivedAt: String(item.receivedAt),
          ...expiryOf(item),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start && entries.length <= limit);
    return { entries: entries.slice(0, limit), more: entries.length > limit };
  }

  async remove(key: string, entry: Pick<LinkEntry, 'signalId' | 'observedAt'>): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: entryKey(key, entry.observedAt, entry.signalId) }));
  }

  async forget(signalId: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: ownKey(signalId) }));
  }
}
