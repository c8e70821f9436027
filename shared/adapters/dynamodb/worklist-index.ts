import { setTimeout as sleep } from 'node:timers/promises';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  type NativeAttributeValue,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type SubjectFacts,
  WORKLIST_INDEX_FIELDS,
  type WorklistFilter,
  type WorklistIndex,
  type WorklistRow,
  type WorklistScan,
} from '#domain/casework/index.js';
import { documentClient } from './document-client.js';

/**
 * The signals table's index of a region's signals by time of receipt (infra/resources.ts): partition `region`,
 * sort `receivedAt`, projecting only WORKLIST_INDEX_FIELDS. A region's signals in one partition: a few
 * thousand a year, far below what one partition serves.
 */
export const WORKLIST_INDEX = 'byRegion';

const ROW_FIELDS = ['signalId', 'region', 'receivedAt', ...WORKLIST_INDEX_FIELDS] as const;
const CLOSED = ['afgesloten', 'ingetrokken'];
const MAX_KEYS_PER_BATCH = 100;
const BATCH_ATTEMPTS = 5;

type Item = Record<string, NativeAttributeValue>;

/** The filter as a FilterExpression, with the names and values it uses; the worklist's matchesWorklist states the same rule. */
export function filterExpression(filter: WorklistFilter): { expression?: string; names: Record<string, string>; values: Record<string, NativeAttributeValue> } {
  const parts: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, NativeAttributeValue> = {};
  if (filter.statuses) {
    names['#status'] = 'status';
    for (const [i, status] of filter.statuses.entries()) values[`:status${i}`] = status;
    parts.push(`#status IN (${filter.statuses.map((_, i) => `:status${i}`).join(', ')})`);
  }
  if (filter.province !== undefined) {
    names['#province'] = 'province';
    values[':province'] = filter.province;
    parts.push('#province = :province');
  }
  if (filter.municipality !== undefined) {
    names['#municipality'] = 'municipality';
    values[':municipality'] = filter.municipality;
    parts.push('#municipality = :municipality');
  }
  if (filter.reviewDueBy !== undefined) {
    // A comparison with a missing attribute is false: a signal without a follow-up date is never due.
    names['#reviewOn'] = 'reviewOn';
    names['#status'] = 'status';
    values[':reviewDueBy'] = filter.reviewDueBy;
    for (const [i, status] of CLOSED.entries()) values[`:closed${i}`] = status;
    parts.push(`#reviewOn <= :reviewDueBy AND NOT (#status IN (${CLOSED.map((_, i) => `:closed${i}`).join(', ')}))`);
  }
  return { ...(parts.length > 0 && { expression: parts.join(' AND ') }), names, values };
}

/** The period as the sort key's condition: one condition on `receivedAt` at most, as DynamoDB allows. */
function keyCondition(scan: WorklistScan): { expression: string; names: Record<string, string>; values: Record<string, NativeAttributeValue> } {
  const values: Record<string, NativeAttributeValue> = { ':region': scan.region };
  let expression = '#region = :region';
  // DynamoDB refuses a name the expressions do not use.
  const names = { '#region': 'region', ...((scan.receivedFrom || scan.receivedBefore) && { '#receivedAt': 'receivedAt' }) };
  // Receipt times are toISOString()'s, all of one length, so text order is time order.
  const lastIncluded = scan.receivedBefore && new Date(Date.parse(scan.receivedBefore) - 1).toISOString();
  if (scan.receivedFrom && lastIncluded) {
    expression += ' AND #receivedAt BETWEEN :from AND :to';
    Object.assign(values, { ':from': scan.receivedFrom, ':to': lastIncluded });
  } else if (scan.receivedFrom) {
    expression += ' AND #receivedAt >= :from';
    values[':from'] = scan.receivedFrom;
  } else if (lastIncluded) {
    expression += ' AND #receivedAt <= :to';
    values[':to'] = lastIncluded;
  }
  return { expression, names, values };
}

const rowOf = (item: Item): WorklistRow =>
  Object.fromEntries(ROW_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])) as WorklistRow;

/**
 * The worklist over the signals table. A scan is one Query of the index, newest first, reading at most
 * `evaluate` signals (Limit counts signals read, before the filter: DynamoDB charges for what it reads, the
 * filter only saves the transfer). The ProjectionExpression names the row's fields, so that the answer
 * holds nothing else even if the index's projection were ever widened.
 */
export class DynamoDbWorklistIndex implements WorklistIndex {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = documentClient(client);
  }

  async scan(scan: WorklistScan): Promise<{ rows: WorklistRow[]; last?: { receivedAt: string; signalId: string } }> {
    const key = keyCondition(scan);
    const filter = filterExpression(scan.filter);
    const projectionNames = Object.fromEntries(ROW_FIELDS.map((field, i) => [`#p${i}`, field]));
    const answer = await this.documents.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: WORKLIST_INDEX,
        KeyConditionExpression: key.expression,
        ...(filter.expression && { FilterExpression: filter.expression }),
        ProjectionExpression: Object.keys(projectionNames).join(', '),
        ExpressionAttributeNames: { ...key.names, ...filter.names, ...projectionNames },
        ExpressionAttributeValues: { ...key.values, ...filter.values },
        ScanIndexForward: false,
        Limit: scan.evaluate,
        ...(scan.after && { ExclusiveStartKey: { region: scan.region, receivedAt: scan.after.receivedAt, signalId: scan.after.signalId } }),
      }),
    );
    const last = answer.LastEvaluatedKey;
    return {
      rows: (answer.Items ?? []).map(rowOf),
      ...(last && { last: { receivedAt: String(last.receivedAt), signalId: String(last.signalId) } }),
    };
  }

  /**
   * Only `subject.ageBand` and `subject.gender`, by document path: the pseudonyms beside them in `subject`
   * are never read into this process. BatchGetItem by 100 keys, asking again for keys left unprocessed.
   */
  async subjectFacts(signalIds: readonly string[]): Promise<Map<string, SubjectFacts>> {
    const facts = new Map<string, SubjectFacts>();
    const unique = [...new Set(signalIds)];
    for (let start = 0; start < unique.length; start += MAX_KEYS_PER_BATCH) {
      let pending: BatchGetCommandInput['RequestItems'] = this.request(unique.slice(start, start + MAX_KEYS_PER_BATCH).map((signalId) => ({ signalId })));
      for (let attempt = 1; pending; attempt++) {
        const answer: BatchGetCommandOutput = await this.documents.send(new BatchGetCommand({ RequestItems: pending }));
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const subject = (item.subject ?? {}) as SubjectFacts;
          facts.set(String(item.signalId), {
            ...(subject.ageBand !== undefined && { ageBand: subject.ageBand }),
            ...(subject.gender !== undefined && { gender: subject.gender }),
          });
        }
        // Asked again with this projection, whatever the answer echoes: never the whole item.
        const unprocessed = answer.UnprocessedKeys?.[this.tableName]?.Keys;
        pending = unprocessed?.length ? this.request(unprocessed) : undefined;
        if (pending && attempt >= BATCH_ATTEMPTS) throw new Error(`BatchGetItem left keys unprocessed after ${attempt} attempts`);
        if (pending) await sleep(25 * 2 ** attempt);
      }
    }
    return facts;
  }

  private request(keys: Item[]): BatchGetCommandInput['RequestItems'] {
    return {
      [this.tableName]: {
        Keys: keys,
        ProjectionExpression: '#id, #subject.#ageBand, #subject.#gender',
        ExpressionAttributeNames: { '#id': 'signalId', '#subject': 'subject', '#ageBand': 'ageBand', '#gender': 'gender' },
      },
    };
  }
}
