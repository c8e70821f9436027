import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { eventFunctions, privacyErasureRoute } from '../../../functions/routes.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import { grantAuditAppend } from './audit-log-policy.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface PrivacyProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  signalsTable: ITable;
  linksTable: ITable;
  auditTable: ITable;
  pseudonymSecret: ISecret;
  /** The key the tables and the secret are encrypted with. */
  storageKey: IKey;
}

/** The items of the links table that hold pending erasures (shared/adapters/dynamodb/pending-erasures.ts). */
const PENDING_ERASURES = 'pending-erasure';

/** When the retention sweep runs: every night at 02:30 UTC, away from office hours and the release ticks' busy times. */
export const RETENTION_SCHEDULE = Schedule.cron({ minute: '30', hour: '2' });

/**
 * Erasure and retention. POST /v1/privacy/erasures reads and updates signals (GetItem, UpdateItem; never Put,
 * Delete or Scan), reads and removes link entries, appends its audit entries with the audit log's append
 * grant, and reads the pseudonymisation key to look a person up; it can decrypt no description (no envelope
 * key), and puts a pending erasure into its own partition of the links table (PutItem there and nowhere
 * else). The retention sweep, once a night, finishes the pending erasures (queries the links table, strips
 * with the audited writer and appends to the audit log as the erasure does, removes their link entries and
 * the pending erasure), then scans the signals, updates those due and removes their link entries; it reads
 * the pseudonymisation key no more than it reads a description: a pending erasure holds its index keys.
 */
export class Privacy extends Construct {
  readonly erasure: MeldrouteFunction;
  readonly retentionSweep: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: PrivacyProps) {
    super(scope, id);
    const { config, signalsTable, linksTable } = props;

    this.erasure = new MeldrouteFunction(this, 'PrivacyErasure', { name: privacyErasureRoute.functionName, config, timeout: Duration.seconds(29) })
      .useTableActions('signals', signalsTable, ['dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .useTableActions('links', linksTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem'])
      .useTableActions('links', linksTable, ['dynamodb:PutItem'], PENDING_ERASURES);
    grantAuditAppend(this.erasure, props.auditTable, props.storageKey);
    this.erasure.addEnvironment('PSEUDONYM_SECRET_ARN', props.pseudonymSecret.secretArn);
    this.erasure.addEnvironment('PSEUDONYM_KEY_MAX_AGE_SECONDS', String(config.pseudonymKeyMaxAgeSeconds));
    // On the function's role, as for intake: the key policy does not change when functions do.
    this.erasure.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [props.pseudonymSecret.secretArn] }),
    );
    this.erasure.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [props.storageKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    props.api.addRoutes(this.erasure);

    this.retentionSweep = new MeldrouteFunction(this, 'RetentionSweep', {
      name: eventFunctions.retentionSchedule,
      config,
      timeout: Duration.minutes(5),
      environment: {
        SIGNAL_RETENTION_DAYS: String(config.signalRetentionDays),
        ...(config.signalRetentionDaysByRegion && { SIGNAL_RETENTION_DAYS_BY_REGION: JSON.stringify(config.signalRetentionDaysByRegion) }),
      },
      asynchronousWithoutDlq:
        'Invoked only by its nightly schedule, whose events carry nothing: a failed run is made again by the next one, which finds every signal still due, and its errors alarm through Monitoring.',
    })
      .useTableActions('signals', signalsTable, ['dynamodb:Scan', 'dynamodb:GetItem', 'dynamodb:UpdateItem'])
      .useTableActions('links', linksTable, ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DeleteItem']);
    // A late erasure's entry, written with the signal's stripping as the erasure writes it.
    grantAuditAppend(this.retentionSweep, props.auditTable, props.storageKey);
    const schedule = new Rule(this, 'RetentionSchedule', {
      description: `Meldroute ${config.stage}: strips the signals whose retention has passed of their person`,
      schedule: RETENTION_SCHEDULE,
    });
    // A missed night is made up by the next: two retries within six hours.
    schedule.addTarget(new LambdaFunction(this.retentionSweep, { retryAttempts: 2, maxEventAge: Duration.hours(6) }));
    acknowledge(
      schedule,
      'Serverless-EventBusDLQ',
      'A schedule event carries nothing to keep: a night that cannot be delivered is made up by the next, which finds every signal still due.',
    );
  }
}
