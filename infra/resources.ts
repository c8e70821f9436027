import { WORKLIST_INDEX_FIELDS } from '#domain/casework/index.js';

/**
 * The stateful resources, described once: the local runner creates them in the emulators, the CDK
 * app on AWS. `env` is the variable through which a handler learns the resource's name or URL.
 */
export const tables = {
  /**
   * The signals. `byRegion` lists a region's signals newest first for the triage worklist, projecting only
   * the classification and casework it shows (WORKLIST_INDEX_FIELDS), never a pseudonym or encrypted text.
   */
  signals: {
    name: 'meldroute-signals',
    env: 'SIGNALS_TABLE',
    partitionKey: 'signalId',
    stream: true,
    ttl: 'expiresAt',
    indexes: [{ name: 'byRegion', partitionKey: 'region', sortKey: 'receivedAt', projection: 'include', attributes: WORKLIST_INDEX_FIELDS }],
  },
  statistics: { name: 'meldroute-statistics', env: 'STATISTICS_TABLE', partitionKey: 'pk', stream: false },
  intakeClaims: { name: 'meldroute-intake-claims', env: 'INTAKE_CLAIMS_TABLE', partitionKey: 'pk', stream: false, ttl: 'expiresAt' },
  partners: { name: 'meldroute-partners', env: 'PARTNERS_TABLE', partitionKey: 'pk', stream: false },
  /** The link index: per match key one item per signal (sorted by `sk`), and per signal the keys it is under; expiring with the signal. */
  links: { name: 'meldroute-links', env: 'LINKS_TABLE', partitionKey: 'pk', sortKey: 'sk', stream: false, ttl: 'expiresAt' },
  /**
   * The audit log (shared/adapters/dynamodb/audit-log.ts): entries in partition `entry` under their zero-padded
   * sequence, the head in partition `head`. `bySignal` finds a signal's entries; `byTime` the first entry of a
   * period, which is then read on in order of sequence. Append-only on AWS (infra/aws/constructs/audit-log-policy.ts).
   */
  audit: {
    name: 'meldroute-audit',
    env: 'AUDIT_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    stream: false,
    indexes: [
      { name: 'bySignal', partitionKey: 'signalId', sortKey: 'sk', projection: 'all' },
      { name: 'byTime', partitionKey: 'pk', sortKey: 'at', projection: 'keys' },
    ],
  },
} as const;

export const queues = {
  signals: {
    name: 'meldroute-signals',
    env: 'SIGNAL_QUEUE_URL',
    deadLetter: 'signalsDeadLetter',
    maxReceiveCount: 5,
    // On one machine the handler takes milliseconds, so a failed message may return after 5 s (on AWS: three
    // minutes). Five receives then span 20 s: DynamoDB Local busy for ten seconds beside a bulk load (as
    // with 2 s) does not send accepted signals to the dead-letter queue. (Backing off per receive with
    // ChangeMessageVisibility would be closer still, but the emulator counts that call as a receive.)
    localVisibilityTimeoutSeconds: 5,
  },
  signalsDeadLetter: { name: 'meldroute-signals-dlq' },
  aggregatorFailures: { name: 'meldroute-aggregator-failures' },
  /** Where an S3 event for a received mail goes when the e-mail intake failed it three times. */
  mailFailures: { name: 'meldroute-mail-failures' },
} as const;

/** Where SES stores received mail, and where the local SMTP server puts it. */
export const mailBucket = {
  localName: 'meldroute-mail',
  keyPrefix: 'inbound/',
  /** A backstop only: the intake deletes each message once its signal is on the queue. */
  expirationDays: 1,
  /** Lambda's asynchronous invocation retries a failed event twice; locally after 1 and 2 s. */
  localRetryDelaysMs: [1_000, 2_000],
} as const;

/** Event source settings shared by the local runner and the event source mappings on AWS. */
export const eventSources = {
  signalConsumer: { batchSize: 10 },
  aggregator: { batchSize: 100, maxRetries: 10 },
} as const;
