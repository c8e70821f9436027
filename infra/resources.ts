/**
 * The stateful resources, described once: the local runner creates them in the emulators, the CDK
 * app on AWS. `env` is the variable through which a handler learns the resource's name or URL.
 */
export const tables = {
  signals: { name: 'meldroute-signals', env: 'SIGNALS_TABLE', partitionKey: 'signalId', stream: true, ttl: 'expiresAt' },
  statistics: { name: 'meldroute-statistics', env: 'STATISTICS_TABLE', partitionKey: 'pk', stream: false },
  intakeClaims: { name: 'meldroute-intake-claims', env: 'INTAKE_CLAIMS_TABLE', partitionKey: 'pk', stream: false, ttl: 'expiresAt' },
  partners: { name: 'meldroute-partners', env: 'PARTNERS_TABLE', partitionKey: 'pk', stream: false },
} as const;

export const queues = {
  signals: {
    name: 'meldroute-signals',
    env: 'SIGNAL_QUEUE_URL',
    deadLetter: 'signalsDeadLetter',
    maxReceiveCount: 5,
    // On one machine the handler takes milliseconds, so a failed message may return after 2 s.
    localVisibilityTimeoutSeconds: 2,
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
