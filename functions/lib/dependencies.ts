import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { DynamoDbAuditLog } from '#adapters/dynamodb/audit-log.js';
import { DynamoDbAuditedSignalWriter } from '#adapters/dynamodb/audited-signal-writer.js';
import { DynamoDbClaimStore } from '#adapters/dynamodb/claim-store.js';
import { DynamoDbCounterReader } from '#adapters/dynamodb/counter-reader.js';
import { DynamoDbLinkIndex } from '#adapters/dynamodb/link-index.js';
import { DynamoDbMailSenderDirectory } from '#adapters/dynamodb/mail-sender-directory.js';
import { DynamoDbPendingErasures } from '#adapters/dynamodb/pending-erasures.js';
import { DynamoDbRateCounter } from '#adapters/dynamodb/rate-counter.js';
import { DynamoDbReleaseStore } from '#adapters/dynamodb/release-store.js';
import { DynamoDbRetentionCandidates } from '#adapters/dynamodb/retention-candidates.js';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import { DynamoDbWorklistIndex } from '#adapters/dynamodb/worklist-index.js';
import { KmsDataKeyProvider } from '#adapters/kms/data-key-provider.js';
import { FileDataKeyProvider, FilePseudonymKeyProvider } from '#adapters/local/file-key-material.js';
import { FileRawMailStore } from '#adapters/local/file-raw-mail-store.js';
import { postalMimeParser } from '#adapters/mime/mail-parser.js';
import { S3RawMailStore } from '#adapters/s3/raw-mail-store.js';
import { SecretsManagerPseudonymKeyProvider } from '#adapters/secrets-manager/pseudonym-key.js';
import { SqsSignalQueue } from '#adapters/sqs/signal-queue.js';
import { DEFAULT_RETENTION_DAYS, type ErasurePorts, type RetentionPorts, retentionPolicyFrom } from '#domain/casework/erasure/index.js';
import type { TriageWritePorts } from '#domain/casework/index.js';
import type { BatchIntakePorts, IntakePorts } from '#domain/intake/index.js';
import type { MailIntakePorts, RawMailStore } from '#domain/intake/mail/index.js';
import type { WebIntakePorts } from '#domain/intake/web/index.js';
import type { DataKeyProvider, PseudonymKeyProvider } from '#domain/privacy/index.js';
import { queueProbe, tableProbe } from '../health/probes.js';
import { numberEnv, requiredEnv } from './environment.js';

/**
 * Wires adapters from the environment, once per cold start. Endpoints come from the SDK's own
 * AWS_ENDPOINT_URL_* variables, so the same code talks to AWS or to the local emulators.
 */
/**
 * Every client gives up on a dependency that does not answer within the budget (two tries of about a
 * second), so that an API request answers 503 with Retry-After instead of holding its connection (see
 * middleware.ts) and a consumer's batch fails and is retried later.
 */
export const DEPENDENCY_BUDGET = {
  maxAttempts: 2,
  requestHandler: { connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true },
} as const;

let dynamo: DynamoDBClient | undefined;
const dynamoClient = () => (dynamo ??= new DynamoDBClient({ ...DEPENDENCY_BUDGET }));
let sqs: SQSClient | undefined;
const sqsClient = () => (sqs ??= new SQSClient({ ...DEPENDENCY_BUDGET }));

/**
 * The batch route's calls carry up to a hundred claims or ten messages of up to 256 KB each: a second is a
 * budget for one signal, not for those. Five seconds a call keeps a 500-signal batch well inside its
 * function's 25 s, and still answers 503 rather than hanging when a dependency is really down.
 */
const BULK_BUDGET = { ...DEPENDENCY_BUDGET, requestHandler: { ...DEPENDENCY_BUDGET.requestHandler, requestTimeout: 5_000 } };
let bulkDynamo: DynamoDBClient | undefined;
let bulkSqs: SQSClient | undefined;
function bulkDynamoClient(): DynamoDBClient {
  bulkDynamo ??= new DynamoDBClient(BULK_BUDGET);
  return bulkDynamo;
}
function bulkSqsClient(): SQSClient {
  bulkSqs ??= new SQSClient(BULK_BUDGET);
  return bulkSqs;
}

export const retentionDays = () => numberEnv('SIGNAL_RETENTION_DAYS', DEFAULT_RETENTION_DAYS);

/** On AWS the key comes from Secrets Manager and KMS; on one machine from the files `npm start` made. */
function keyMaterial(): { pseudonymKeys: PseudonymKeyProvider; dataKeys: DataKeyProvider } {
  if (process.env.PSEUDONYM_SECRET_ARN || process.env.ENVELOPE_KEY_ARN) {
    const secretArn = requiredEnv('PSEUDONYM_SECRET_ARN');
    const envelopeKey = requiredEnv('ENVELOPE_KEY_ARN');
    return {
      pseudonymKeys: new SecretsManagerPseudonymKeyProvider(new SecretsProvider(), secretArn, numberEnv('PSEUDONYM_KEY_MAX_AGE_SECONDS', 300)),
      dataKeys: new KmsDataKeyProvider(new KMSClient({ ...DEPENDENCY_BUDGET }), envelopeKey),
    };
  }
  const dir = requiredEnv('LOCAL_KEY_DIR');
  return {
    pseudonymKeys: new FilePseudonymKeyProvider(`${dir}/pseudonymisation-key.json`),
    dataKeys: new FileDataKeyProvider(`${dir}/envelope-key.json`),
  };
}

/** How long a warm function trusts a look-up in the partners table (keys and senders alike). */
const partnerCacheMs = () => numberEnv('API_KEY_CACHE_SECONDS', 60) * 1000;

export function apiKeyStore() {
  return new DynamoDbApiKeyStore(dynamoClient(), requiredEnv('PARTNERS_TABLE'), partnerCacheMs());
}

export function intakePorts(): IntakePorts {
  return {
    queue: new SqsSignalQueue(sqsClient(), requiredEnv('SIGNAL_QUEUE_URL')),
    claims: new DynamoDbClaimStore(dynamoClient(), requiredEnv('INTAKE_CLAIMS_TABLE'), retentionDays()),
    ...keyMaterial(),
  };
}

/** The batch route's intake: the same adapters, read from and sent to in bulk. */
export function batchIntakePorts(): BatchIntakePorts {
  return {
    queue: new SqsSignalQueue(bulkSqsClient(), requiredEnv('SIGNAL_QUEUE_URL')),
    claims: new DynamoDbClaimStore(bulkDynamoClient(), requiredEnv('INTAKE_CLAIMS_TABLE'), retentionDays()),
    ...keyMaterial(),
  };
}

/** The meldformulier's intake: rate limits per address (defaults 5 a minute, 30 a day), counted in the claims table. */
export function webIntakePorts(): WebIntakePorts {
  return {
    ...intakePorts(),
    rates: new DynamoDbRateCounter(dynamoClient(), requiredEnv('INTAKE_CLAIMS_TABLE')),
    limits: { perMinute: numberEnv('WEB_RATE_LIMIT_PER_MINUTE', 5), perDay: numberEnv('WEB_RATE_LIMIT_PER_DAY', 30) },
  };
}

export function emailIntakePorts(): { intake: MailIntakePorts; mail: RawMailStore } {
  return {
    intake: {
      ...intakePorts(),
      senders: new DynamoDbMailSenderDirectory(dynamoClient(), requiredEnv('PARTNERS_TABLE'), partnerCacheMs()),
      parser: postalMimeParser,
    },
    mail: rawMailStore(),
  };
}

/** On AWS the mail bucket in S3; on one machine the encrypted files the local SMTP server writes. */
export function rawMailStore(): RawMailStore {
  const localDir = process.env.LOCAL_MAIL_DIR;
  if (localDir) return new FileRawMailStore(localDir, new FileDataKeyProvider(`${requiredEnv('LOCAL_KEY_DIR')}/envelope-key.json`));
  return new S3RawMailStore(new S3Client({}));
}

/** The audit log of every look at protected data: GET /v1/audit reads it, casework appends to it (appendAudit). */
export function auditLog() {
  return new DynamoDbAuditLog(dynamoClient(), requiredEnv('AUDIT_TABLE'));
}

export function signalStore() {
  return new DynamoDbSignalStore(dynamoClient(), requiredEnv('SIGNALS_TABLE'));
}

/**
 * Making data keys, and no more: on AWS from KMS with the envelope key (kms:GenerateDataKey only), on one
 * machine from the file `npm start` made. For a decision's note, encrypted as intake encrypts a description.
 */
export function dataKeyMaker(): DataKeyProvider {
  const envelopeKey = process.env.ENVELOPE_KEY_ARN;
  if (envelopeKey) return new KmsDataKeyProvider(new KMSClient({ ...DEPENDENCY_BUDGET }), envelopeKey);
  return new FileDataKeyProvider(`${requiredEnv('LOCAL_KEY_DIR')}/envelope-key.json`);
}

/**
 * Unwrapping data keys, to read free text on a stated purpose: the same provider as dataKeyMaker, but the
 * function that uses it holds kms:Decrypt on the envelope key and nothing else (infra/aws/constructs/triage-read.ts).
 */
export const dataKeyOpener = (): DataKeyProvider => dataKeyMaker();

/** The triage worklist: the signals table's byRegion index, and the age band and gender of the rows shown. */
export function worklistIndex() {
  return new DynamoDbWorklistIndex(dynamoClient(), requiredEnv('SIGNALS_TABLE'));
}

/** What the table's changes write: the signal and its audit entry together (enrichment, decisions). */
export function triageWritePorts(): TriageWritePorts {
  return {
    signals: signalStore(),
    writer: new DynamoDbAuditedSignalWriter(dynamoClient(), requiredEnv('SIGNALS_TABLE'), requiredEnv('AUDIT_TABLE')),
  };
}

/** The pseudonymisation keys alone, current and previous, to look a person up; no data keys. */
function pseudonymKeys(): PseudonymKeyProvider {
  const secretArn = process.env.PSEUDONYM_SECRET_ARN;
  if (secretArn) return new SecretsManagerPseudonymKeyProvider(new SecretsProvider(), secretArn, numberEnv('PSEUDONYM_KEY_MAX_AGE_SECONDS', 300));
  return new FilePseudonymKeyProvider(`${requiredEnv('LOCAL_KEY_DIR')}/pseudonymisation-key.json`);
}

/** What POST /v1/privacy/erasures needs: the signals and links, the keys to look a person up, the audited writer. */
export function erasurePorts(): ErasurePorts {
  return {
    signals: signalStore(),
    links: linkIndex(),
    pseudonymKeys: pseudonymKeys(),
    writer: new DynamoDbAuditedSignalWriter(dynamoClient(), requiredEnv('SIGNALS_TABLE'), requiredEnv('AUDIT_TABLE')),
    audit: auditLog(),
    pending: pendingErasures(),
  };
}

/** The erasures kept for the signals still on their way, in their own partition of the links table. */
function pendingErasures() {
  return new DynamoDbPendingErasures(dynamoClient(), requiredEnv('LINKS_TABLE'));
}

/**
 * How long a signal's person is kept after its last change: SIGNAL_RETENTION_DAYS (default five years), and
 * per region SIGNAL_RETENTION_DAYS_BY_REGION as JSON (`{"noord-nederland": 1825}`). A wrong setting throws at
 * the cold start.
 */
export const retentionPolicy = () => retentionPolicyFrom(retentionDays(), process.env.SIGNAL_RETENTION_DAYS_BY_REGION);

/**
 * What the retention sweep needs: the candidates (a scan), the signals to strip and the links to remove; and
 * to finish the pending erasures, those and the audited writer, for their entries.
 */
export function retentionPorts(): RetentionPorts {
  const signals = signalStore();
  const links = linkIndex();
  return {
    signals,
    links,
    candidates: new DynamoDbRetentionCandidates(dynamoClient(), requiredEnv('SIGNALS_TABLE')),
    erasures: {
      signals,
      links,
      pending: pendingErasures(),
      writer: new DynamoDbAuditedSignalWriter(dynamoClient(), requiredEnv('SIGNALS_TABLE'), requiredEnv('AUDIT_TABLE')),
      audit: auditLog(),
    },
  };
}

/** The link index the consumer writes after storing a signal (#domain/linking). */
export function linkIndex() {
  return new DynamoDbLinkIndex(dynamoClient(), requiredEnv('LINKS_TABLE'));
}

export function aggregationStore() {
  return new DynamoDbAggregationStore(dynamoClient(), requiredEnv('STATISTICS_TABLE'));
}

/** What GET /v1/statistics reads: the counter items of a period and the region's markers, in one BatchGetItem. */
export function counterReader() {
  return new DynamoDbCounterReader(dynamoClient(), requiredEnv('STATISTICS_TABLE'));
}

/** What GET /v1/public/statistics reads: the region's latest release and its items, never the live counters. */
export function releaseReader() {
  return new DynamoDbReleaseStore(dynamoClient(), requiredEnv('STATISTICS_TABLE'));
}

/** What the release function reads and writes, its pointer reads strongly consistent so that it never releases twice. */
export function releaseStore() {
  return new DynamoDbReleaseStore(dynamoClient(), requiredEnv('STATISTICS_TABLE'), true);
}

/** What GET /v1/health probes: the signals table and the signal queue, the two every signal passes. */
export function healthChecks() {
  return {
    signalsTable: tableProbe(dynamoClient(), requiredEnv('SIGNALS_TABLE')),
    signalQueue: queueProbe(sqsClient(), requiredEnv('SIGNAL_QUEUE_URL')),
  };
}
