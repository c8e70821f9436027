import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues } from '../../resources.js';
import type { StageConfig } from '../stage-config.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface IntakeProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  signalQueue: IQueue;
  intakeClaimsTable: ITable;
  signalsTable: ITable;
  pseudonymSecret: ISecret;
  /** The key the secret is encrypted with. */
  secretKey: IKey;
  envelopeKey: IKey;
}

/**
 * Partners filing signals: POST /v1/signals (and /v1/signals/batch, up to 500 at once) pseudonymises and
 * encrypts before anything is queued; GET and PATCH /v1/signals/{signalId} let the filing partner see and
 * correct its own signal.
 */
export class Intake extends Construct {
  readonly intake: MeldrouteFunction;
  readonly batch: MeldrouteFunction;
  private readonly props: IntakeProps;

  constructor(scope: Construct, id: string, props: IntakeProps) {
    super(scope, id);
    this.props = props;
    const { config, api } = props;

    this.intake = this.equip(new MeldrouteFunction(this, 'SignalsIntake', { name: 'signals-intake', config, memorySize: 512 }));
    api.addRoutes(this.intake);

    // Up to 500 signals a request, each pseudonymised and encrypted: more memory for more CPU, and time for
    // the claims and queue calls of a large batch within API Gateway's 30 seconds.
    this.batch = this.equip(new MeldrouteFunction(this, 'SignalsBatch', { name: 'signals-batch', config, memorySize: 1024, timeout: Duration.seconds(25) }));
    api.addRoutes(this.batch);

    const status = new MeldrouteFunction(this, 'SignalStatus', { name: 'signal-status', config }).useTable('signals', props.signalsTable, 'read');
    api.addRoutes(status);

    const correction = new MeldrouteFunction(this, 'SignalCorrection', { name: 'signal-correction', config, timeout: Duration.seconds(10) }).useTable(
      'signals',
      props.signalsTable,
      'readWrite',
    );
    api.addRoutes(correction);
  }

  /**
   * Gives a function what taking a signal in needs, for every channel alike: the pseudonymisation key,
   * making (never unwrapping) data keys, the retry claims and sending to the signal queue.
   */
  equip(fn: MeldrouteFunction): MeldrouteFunction {
    const { config } = this.props;
    fn.addEnvironment('PSEUDONYM_SECRET_ARN', this.props.pseudonymSecret.secretArn);
    fn.addEnvironment('PSEUDONYM_KEY_MAX_AGE_SECONDS', String(config.pseudonymKeyMaxAgeSeconds));
    fn.addEnvironment('ENVELOPE_KEY_ARN', this.props.envelopeKey.keyArn);
    fn.addEnvironment('SIGNAL_RETENTION_DAYS', String(config.signalRetentionDays));
    fn.useTable('intakeClaims', this.props.intakeClaimsTable, 'readWrite').useQueueForSending(queues.signals.env, this.props.signalQueue);
    // Granted on the function's role rather than through secret.grantRead, which writes the role into
    // the storage key's policy: the grant stays with the function that needs it, and the key policy
    // does not change when functions do.
    fn.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [this.props.pseudonymSecret.secretArn] }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.props.secretKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    // Making data keys is all intake may do with the envelope key: it can never decrypt a description.
    this.props.envelopeKey.grant(fn, 'kms:GenerateDataKey');
    return fn;
  }
}
