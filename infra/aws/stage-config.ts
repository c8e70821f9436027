import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_RETENTION_DAYS } from '#domain/casework/erasure/index.js';

/**
 * What differs between stages. Data is kept (RETAIN, deletion protection, point-in-time recovery) on
 * every stage: a dev stage may hold real test signals too.
 */
export interface StageConfig {
  stage: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARN';
  logRetention: RetentionDays;
  /** Steady requests per second and burst for the whole API. */
  throttle: { rateLimit: number; burstLimit: number };
  /** At most this many consumer instances drain the signal queue at once. */
  consumerMaxConcurrency: number;
  /** Alarm when the aggregator is this far behind the signals table. */
  iteratorAgeAlarmSeconds: number;
  /** Alarm when more than this share of API requests in five minutes are 5xx. */
  api5xxAlarmPercent: number;
  /** How long a signal's person is kept after the signal last changed; then the retention sweep strips it. */
  signalRetentionDays: number;
  /** A region's own period where its privacy protocol sets one (region code to days); the rest take signalRetentionDays. */
  signalRetentionDaysByRegion?: Record<string, number>;
  /** How long a Lambda keeps the pseudonymisation key before asking Secrets Manager again. */
  pseudonymKeyMaxAgeSeconds: number;
  /** Reports per client address through the meldformulier. */
  webRateLimit: { perMinute: number; perDay: number };
}

const defaults: Record<'dev' | 'prod', StageConfig> = {
  dev: {
    stage: 'dev',
    logLevel: 'DEBUG',
    logRetention: RetentionDays.ONE_MONTH,
    throttle: { rateLimit: 20, burstLimit: 40 },
    consumerMaxConcurrency: 2,
    iteratorAgeAlarmSeconds: 15 * 60,
    api5xxAlarmPercent: 5,
    signalRetentionDays: DEFAULT_RETENTION_DAYS,
    pseudonymKeyMaxAgeSeconds: 300,
    webRateLimit: { perMinute: 5, perDay: 30 },
  },
  prod: {
    stage: 'prod',
    logLevel: 'INFO',
    logRetention: RetentionDays.SIX_MONTHS,
    throttle: { rateLimit: 100, burstLimit: 200 },
    consumerMaxConcurrency: 5,
    iteratorAgeAlarmSeconds: 5 * 60,
    api5xxAlarmPercent: 1,
    signalRetentionDays: DEFAULT_RETENTION_DAYS,
    pseudonymKeyMaxAgeSeconds: 300,
    webRateLimit: { perMinute: 5, perDay: 30 },
  },
};

/** The stage named in `-c stage=…` (default dev); another name than dev or prod is refused plainly. */
export function stageConfig(stage: unknown): StageConfig {
  const name = stage === undefined ? 'dev' : String(stage);
  if (name !== 'dev' && name !== 'prod') throw new Error(`Unknown stage "${name}": use -c stage=dev or -c stage=prod`);
  return defaults[name];
}
