import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type NativeAttributeValue,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { type AuditAction, type AuditEntry, type AuditHead, type AuditLogReader, type AuditLogStore, EMPTY_HEAD } from '#domain/casework/index.js';
import { documentClient } from './document-client.js';

/**
 * The key layout, which the table's description in infra/resources.ts and the IAM conditions on AWS
 * (infra/aws/constructs/audit-log-policy.ts) rely on too: every entry in partition `entry` under its
 * sequence (sort key `sk`, zero-padded so that its order as text is its order as a number), so that the
 * log reads in order with one Query; the head alone in partition `head`, so that IAM can allow a Put only
 * in the one partition and an Update only in the other.
 */
export const AUDIT_KEYS = { entryPartition: 'entry', headPartition: 'head', bySignal: 'bySignal', byTime: 'byTime' } as const;
/** 15 digits: a cursor's most, and below 2^53. */
const SEQUENCE_DIGITS = 15;
export const sortKeyOf = (sequence: number) => String(sequence).padStart(SEQUENCE_DIGITS, '0');
const HEAD_KEY = { pk: AUDIT_KEYS.headPartition, sk: sortKeyOf(0) };

type Item = Record<string, NativeAttributeValue>;

const itemOf = ({ sequence, signalId, ...fields }: AuditEntry): Item => ({
  pk: AUDIT_KEYS.entryPartition,
  sk: sortKeyOf(sequence),
  ...fields,
  // None is no attribute, so that the entry stays out of the signal index.
  ...(signalId !== null && { signalId }),
});

/** What is stored, as it is: a field someone changed or removed shows as a broken hash, not as an error here. */
const entryOf = (item: Item): AuditEntry => ({
  sequence: Number(item.sk),
  at: String(item.at ?? ''),
  organisation: String(item.organisation ?? ''),
  keyHash: String(item.keyHash ?? ''),
  action: String(item.action ?? '') as AuditAction,
  signalId: item.signalId === undefined ? null : String(item.signalId),
  ...(item.decisionId !== undefined && { decisionId: String(item.decisionId) }),
  purpose: String(item.purpose ?? ''),
  previousHash: String(item.previousHash ?? ''),
  hash: String(item.hash ?? ''),
});

/**
 * An append as the two actions of a TransactWriteItems: the entry's Put, only if no item has its key, and
 * the head's Update, only if the head is still `previous`. Also the last two actions of a triage change
 * written with its entry (audited-signal-writer.ts), so that there is one way an entry gets in.
 */
export function appendActions(tableName: string, entry: AuditEntry, previous: AuditHead) {
  const first = previous.sequence === 0;
  return [
    { Put: { TableName: tableName, Item: itemOf(entry), ConditionExpression: 'attribute_not_exists(pk)' } },
    {
      Update: {
        TableName: tableName,
        Key: HEAD_KEY,
        UpdateExpression: 'SET #sequence = :sequence, #hash = :hash, #at = :at',
        ConditionExpression: first ? 'attribute_not_exists(#sequence)' : '#sequence = :previous AND #hash = :previousHash',
        ExpressionAttributeNames: { '#sequence': 'sequence', '#hash': 'hash', '#at': 'at' },
        ExpressionAttributeValues: {
          ':sequence': entry.sequence,
          ':hash': entry.hash,
          ':at': entry.at,
          ...(!first && { ':previous': previous.sequence, ':previousHash': previous.hash }),
        },
      },
    },
  ];
}

/** A transaction cancelled because another append took the sequence or moved the head first. */
const lostRace = (error: unknown) =>
  error instanceof TransactionCanceledException &&
  (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict');

/**
 * The audit log in its own table. An append is one TransactWriteItems of two actions that both hold or
 * neither does: the entry's Put, only if no item has its key (`attribute_not_exists`: a Put would otherwise
 * replace an existing entry whole), and the head's Update, only if the head is still the one the entry was
 * chained onto. Two appends on one head: one wins, the other is cancelled and tries again on the new head.
 */
export class DynamoDbAuditLog implements AuditLogStore, AuditLogReader {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async head(): Promise<AuditHead> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: HEAD_KEY, ConsistentRead: true }));
    if (!Item) return EMPTY_HEAD;
    return { sequence: Number(Item.sequence), hash: String(Item.hash), at: String(Item.at) };
  }

  async append(entry: AuditEntry, previous: AuditHead): Promise<boolean> {
    try {
      await this.documents.send(new TransactWriteCommand({ TransactItems: appendActions(this.tableName, entry, previous) }));
      return true;
    } catch (error) {
      if (lostRace(error)) return false;
      throw error;
    }
  }

  entriesAfter(after: number, limit: number): Promise<AuditEntry[]> {
    return this.query(
      {
        KeyConditionExpression: 'pk = :partition AND sk > :after',
        ExpressionAttributeValues: { ':partition': AUDIT_KEYS.entryPartition, ':after': sortKeyOf(after) },
        ConsistentRead: true,
      },
      limit,
    );
  }

  signalEntriesAfter(signalId: string, after: number, limit: number): Promise<AuditEntry[]> {
    return this.query(
      {
        IndexName: AUDIT_KEYS.bySignal,
        KeyConditionExpression: 'signalId = :signalId AND sk > :after',
        ExpressionAttributeValues: { ':signalId': signalId, ':after': sortKeyOf(after) },
      },
      limit,
    );
  }

  async firstSequenceFrom(at: string): Promise<number | undefined> {
    const { Items } = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: AUDIT_KEYS.byTime,
        KeyConditionExpression: 'pk = :partition AND #at >= :at',
        ExpressionAttributeNames: { '#at': 'at' },
        ExpressionAttributeValues: { ':partition': AUDIT_KEYS.entryPartition, ':at': at },
        Limit: 1,
      }),
    );
    return Items?.[0] ? Number(Items[0].sk) : undefined;
  }

  /** Every entry in order of sequence, a page at a time: for verifying the whole chain. */
  async *entries(pageSize = 1_000): AsyncGenerator<AuditEntry> {
    let after = 0;
    for (;;) {
      const page = await this.entriesAfter(after, pageSize);
      yield* page;
      if (page.length < pageSize) return;
      after = page.at(-1)!.sequence;
    }
  }

  /** Up to `limit` items in key order, over as many responses as DynamoDB needs (each at most 1 MB). */
  private async query(input: Omit<QueryCommandInput, 'TableName' | 'Limit'>, limit: number): Promise<AuditEntry[]> {
    const found: AuditEntry[] = [];
    let start: Item | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({ ...input, TableName: this.tableName, Limit: limit - found.length, ...(start && { ExclusiveStartKey: start }) }),
      );
      found.push(...(page.Items ?? []).map(entryOf));
      start = page.LastEvaluatedKey;
    } while (start && found.length < limit);
    return found;
  }
}
