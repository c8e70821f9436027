import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
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
  const own = new Set<string>([table.partitionKey, table.sortKey]);
  return [...new Set(table.indexes.flatMap((index) => [index.partitionKey, index.sortKey]))].filter((name) => !own.has(name));
}

const globalSecondaryIndex = (index: IndexSpec) => ({
  IndexName: index.name,
  KeySchema: [
    { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
    { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
  ],
  Projection: { ProjectionType: index.projection === 'all' ? ('ALL' as const) : ('KEYS_ONLY' as const) },
});

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
  // The privacy officer's key, for GET /v1/audit: added once beside the others, to a data dir made before it too.
  const hadAuditReader = credentials.keys.some((k) => k.scopes.includes('audit:read'));
  if (!hadAuditReader) credentials.keys.push({ organisation: 'Lokale privacyfunctionaris', sourceType: 'overig', scopes: ['audit:read'], key: newApiKey() });
  if (!existsSync(path) || !hadAuditReader) writeFileSync(path, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  const store = new DynamoDbApiKeyStore(client, tables.partners.name);
  for (const { key, region, ...principal } of credentials.keys) {
    await store.put(hashApiKey(key), { ...principal, region: region ?? geography.defaultRegion });
  }
  return credentials;
}
