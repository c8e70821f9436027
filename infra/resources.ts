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
} as const;

/** Event source settings shared by the local runner and the event source mappings on AWS. */
export const eventSources = {
  signalConsumer: { batchSize: 10 },
  aggregator: { batchSize: 100, maxRetries: 10 },
} as const;
