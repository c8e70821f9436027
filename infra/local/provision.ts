import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  type Projection,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import * as z from 'zod/mini';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { newKeyFile } from '#adapters/local/file-key-material.js';
import { newKeyMaterialJson, parseKeyMaterial } from '#adapters/secrets-manager/key-material-format.js';
import { geography } from '#domain/kernel/index.js';
import { hashApiKey, newPartnerKey } from '#domain/partners/index.js';
import { queues, tables } from '../resources.js';

/** Creates the tables as the CDK app defines them; an existing table (persisted data) is kept. */
export async function createTables(client: DynamoDBClient): Promise<{ signalsStreamArn: string }> {
  for (const table of Object.values(tables)) {
    try {
      await client.send(
        new CreateTableCommand({
          TableName: table.name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: table.partitionKey, AttributeType: 'S' },
            ...('sortKey' in table ? [{ AttributeName: table.sortKey, AttributeType: 'S' as const }] : []),
            ...indexAttributes(table).map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
          ],
          KeySchema: [
            { AttributeName: table.partitionKey, KeyType: 'HASH' },
            ...('sortKey' in table ? [{ AttributeName: table.sortKey, KeyType: 'RANGE' as const }] : []),
          ],
          ...(table.stream && { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
          ...('indexes' in table && { GlobalSecondaryIndexes: table.indexes.map(globalSecondaryIndex) }),
        }),
      );
      if ('ttl' in table) {
        await client.send(new UpdateTimeToLiveCommand({ TableName: table.name, TimeToLiveSpecification: { Enabled: true, AttributeName: table.ttl } }));
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
      await addMissingIndexes(client, table);
    }
  }
  const { Table } = await client.send(new DescribeTableCommand({ TableName: tables.signals.name }));
  return { signalsStreamArn: Table!.LatestStreamArn! };
}

type TableSpec = (typeof tables)[keyof typeof tables];
type IndexSpec = Extract<TableSpec, { indexes: unknown }>['indexes'][number];

/** The key attributes of a table's indexes that are not keys of the table itself (every key is a string). */
function indexAttributes(table: TableSpec): string[] {
  if (!('indexes' in table)) return [];
  const own = new Set<string>([table.partitionKey, 'sortKey' in table ? table.sortKey : table.partitionKey]);
  return [...new Set(table.indexes.flatMap((index) => [index.partitionKey, index.sortKey]))].filter((name) => !own.has(name));
}

const globalSecondaryIndex = (index: IndexSpec) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: projectionOf(index),
});

/**
 * A table kept from an earlier start (persisted data) gets the indexes defined since, one at a time as
 * DynamoDB allows; it fills them from the items already there, as AWS does when CDK adds one.
 */
async function addMissingIndexes(client: DynamoDBClient, table: TableSpec): Promise<void> {
  if (!('indexes' in table)) return;
  const { Table } = await client.send(new DescribeTableCommand({ TableName: table.name }));
  const present = new Set((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
  for (const index of table.indexes.filter((i) => !present.has(i.name))) {
    await client.send(
      new UpdateTableCommand({
        TableName: table.name,
        AttributeDefinitions: [index.partitionKey, index.sortKey].map((name) => ({ AttributeName: name, AttributeType: 'S' as const })),
        GlobalSecondaryIndexUpdates: [{ Create: globalSecondaryIndex(index) }],
      }),
    );
    // DynamoDB Local refuses writes to the table until the index is filled.
    for (let waited = 0; ; waited += 100) {
      const { Table: now } = await client.send(new DescribeTableCommand({ TableName: table.name }));
      if (now?.GlobalSecondaryIndexes?.find((i) => i.IndexName === index.name)?.IndexStatus === 'ACTIVE') break;
      if (waited > 120_000) throw new Error(`index ${index.name} of ${table.name} did not become active`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** As on AWS: all attributes, the keys only, or the keys and the named attributes (`include`). */
function projectionOf(index: IndexSpec): Projection {
  if (index.projection === 'include') return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.attributes] };
  return { ProjectionType: index.projection === 'all' ? 'ALL' : 'KEYS_ONLY' };
}

export interface QueueUrls {
  signals: string;
  signalsArn: string;
  signalsDeadLetter: string;
  aggregatorFailures: string;
  mailFailures: string;
}

/** The signal queue with its dead-letter queue after five receives, as on AWS. */
export async function createQueues(client: SQSClient): Promise<QueueUrls> {
  const create = async (name: string, attributes: Record<string, string> = {}) => {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
    const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl!, arn: Attributes!.QueueArn! };
  };
  const deadLetter = await create(queues.signalsDeadLetter.name);
  const signals = await create(queues.signals.name, {
    VisibilityTimeout: String(queues.signals.localVisibilityTimeoutSeconds),
    RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetter.arn, maxReceiveCount: queues.signals.maxReceiveCount }),
  });
  const failures = await create(queues.aggregatorFailures.name);
  const mailFailures = await create(queues.mailFailures.name);
  return { signals: signals.url, signalsArn: signals.arn, signalsDeadLetter: deadLetter.url, aggregatorFailures: failures.url, mailFailures: mailFailures.url };
}

/** Makes the local key files once; they never enter the repository (.local/ is ignored). */
export function ensureKeyFiles(keyDir: string): void {
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  for (const [file, keyId] of [
    ['pseudonymisation-key.json', 'local-pseudonym-1'],
    ['envelope-key.json', 'local-envelope-1'],
  ] as const) {
    const path = join(keyDir, file);
    if (!existsSync(path)) writeFileSync(path, JSON.stringify(newKeyFile(keyId), null, 2), { mode: 0o600 });
  }
}

/**
 * Rotates the local pseudonymisation key: a new keyId and secret, the old ones kept under `previous` for
 * matching only, so that a retry sent before the rotation is still recognised. Read at the next start.
 */
export function rotatePseudonymKeyFile(keyDir: string): { from: string; to: string } {
  const path = join(keyDir, 'pseudonymisation-key.json');
  const old = parseKeyMaterial(readFileSync(path, 'utf8'), path);
  const number = Number(/-(\d+)$/.exec(old.keyId)?.[1] ?? 0) + 1;
  const keyId = `local-pseudonym-${number}`;
  const { previous = [], ...current } = old;
  writeFileSync(path, JSON.stringify(JSON.parse(newKeyMaterialJson(keyId, randomBytes(32), [current, ...previous])), null, 2), { mode: 0o600 });
  return { from: old.keyId, to: keyId };
}

const CredentialsSchema = z.object({
  keys: z.array(
    z.object({
      organisation: z.string(),
      sourceType: z.string(),
      scopes: z.array(z.string()),
      key: z.string(),
      region: z.optional(z.string()),
      province: z.optional(z.string()),
    }),
  ),
});
export type LocalCredentials = z.infer<typeof CredentialsSchema>;

const newApiKey = () => newPartnerKey('local');

/**
 * The local keys: written once to credentials.json for the developer to use, and stored in the
 * partners table only as hashes, exactly as on AWS.
 */
export async function provisionCredentials(path: string, client: DynamoDBClient): Promise<LocalCredentials> {
  const credentials: LocalCredentials = existsSync(path)
    ? CredentialsSchema.parse(JSON.parse(readFileSync(path, 'utf8')))
    : {
        keys: [
          { organisation: 'Lokale testpartner', sourceType: 'gemeente', scopes: ['signals:write'], key: newApiKey() },
          { organisation: 'Lokaal dashboard', sourceType: 'gemeente', scopes: ['statistics:read'], key: newApiKey() },
        ],
      };
  // Keys added since the first start, given to a data dir made before them too: the privacy officer's (GET
  // /v1/audit and POST /v1/privacy/erasures; an officer key made with audit:read alone gains privacy:erase),
  // and the table's triage key for the whole region.
  let added = false;
  const officer = credentials.keys.find((k) => k.scopes.includes('audit:read'));
  if (!officer) {
    credentials.keys.push({ organisation: 'Lokale privacyfunctionaris', sourceType: 'overig', scopes: ['audit:read', 'privacy:erase'], key: newApiKey() });
    added = true;
  } else if (!officer.scopes.includes('privacy:erase')) {
    officer.scopes.push('privacy:erase');
    added = true;
  }
  if (!credentials.keys.some((k) => k.scopes.includes('signals:triage'))) {
    credentials.keys.push({ organisation: 'Lokale weeg- en monitortafel', sourceType: 'overig', scopes: ['signals:triage'], key: newApiKey() });
    added = true;
  }
  if (!existsSync(path) || added) writeFileSync(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  const store = new DynamoDbApiKeyStore(client, tables.partners.name);
  for (const { key, region, ...principal } of credentials.keys) {
    await store.put(hashApiKey(key), { ...principal, region: region ?? geography.defaultRegion });
  }
  return credentials;
}
