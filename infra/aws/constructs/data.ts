import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { queues, tables } from '../../resources.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';

/** The consumer's timeout; the queue's visibility timeout is six times it, as AWS advises for SQS event sources. */
export const CONSUMER_TIMEOUT = Duration.seconds(30);

export interface MeldrouteDataProps {
  config: StageConfig;
}

/**
 * Everything that holds data: tables, queues, keys and the pseudonymisation secret. One construct
 * group, handed to the functions as props; every resource in it is retained when the stack is
 * deleted, and the tables are protected from deletion and recoverable to any point in time.
 */
export class MeldrouteData extends Construct {
  /** Encrypts the tables and queues. */
  readonly storageKey: Key;
  /** Wraps the data keys that encrypt free text; only intake may use it, and only to make data keys. */
  readonly envelopeKey: Key;
  readonly pseudonymSecret: Secret;
  readonly tables: Record<keyof typeof tables, Table>;
  readonly signalQueue: Queue;
  readonly signalDeadLetterQueue: Queue;
  readonly aggregatorFailureQueue: Queue;

  constructor(scope: Construct, id: string, props: MeldrouteDataProps) {
    super(scope, id);
    const retain = RemovalPolicy.RETAIN;

    this.storageKey = new Key(this, 'StorageKey', {
      description: 'Meldroute: tables, queues and secret',
      enableKeyRotation: true,
      removalPolicy: retain,
    });
    this.envelopeKey = new Key(this, 'EnvelopeKey', {
      description: 'Meldroute: wraps the data keys of encrypted free text',
      enableKeyRotation: true,
      removalPolicy: retain,
    });

    this.pseudonymSecret = new Secret(this, 'PseudonymisationKey', {
      description: 'Meldroute: HMAC key for pseudonyms. Rotate by hand with a new keyId (see README).',
      encryptionKey: this.storageKey,
      removalPolicy: retain,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ keyId: `${props.config.stage}-1` }),
        generateStringKey: 'secret',
        passwordLength: 64,
        excludePunctuation: true,
        includeSpace: false,
      },
    });

    acknowledge(
      this.pseudonymSecret,
      'AwsSolutions-SMG4',
      'No automatic rotation: a new HMAC key must come with a new keyId, or pseudonyms made before and after would silently stop matching. Rotation is the manual procedure in the README.',
    );

    const table = (name: keyof typeof tables) => {
      const spec = tables[name];
      return new Table(this, `${name[0]!.toUpperCase()}${name.slice(1)}Table`, {
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.storageKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: retain,
        ...(spec.stream && { stream: StreamViewType.NEW_AND_OLD_IMAGES }),
        ...('ttl' in spec && { timeToLiveAttribute: spec.ttl }),
      });
    };
    this.tables = {
      signals: table('signals'),
      statistics: table('statistics'),
      intakeClaims: table('intakeClaims'),
      partners: table('partners'),
    };

    const queue = (id: string, extra: Partial<ConstructorParameters<typeof Queue>[2]> = {}) =>
      new Queue(this, id, {
        encryption: QueueEncryption.KMS,
        encryptionMasterKey: this.storageKey,
        dataKeyReuse: Duration.minutes(5),
        enforceSSL: true,
        removalPolicy: retain,
        ...extra,
      });
    this.signalDeadLetterQueue = queue('SignalDeadLetterQueue', { retentionPeriod: Duration.days(14) });
    this.signalQueue = queue('SignalQueue', {
      visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.signalDeadLetterQueue, maxReceiveCount: queues.signals.maxReceiveCount },
    });
    this.aggregatorFailureQueue = queue('AggregatorFailureQueue', { retentionPeriod: Duration.days(14) });

    // What operators and the key script look up: names and URLs, no secrets.
    new CfnOutput(this, 'PartnersTableName', { value: this.tables.partners.tableName });
    new CfnOutput(this, 'SignalDeadLetterQueueUrl', { value: this.signalDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'AggregatorFailureQueueUrl', { value: this.aggregatorFailureQueue.queueUrl });
    new CfnOutput(this, 'PseudonymisationSecretArn', { value: this.pseudonymSecret.secretArn });

    const isDeadLetterQueue = 'A dead-letter queue itself (the signal queue\'s, and the aggregator\'s on-failure destination): a further DLQ would add nothing; its messages raise an alarm.';
    acknowledge(this.aggregatorFailureQueue, 'AwsSolutions-SQS3', isDeadLetterQueue);
    acknowledge(this.aggregatorFailureQueue, 'Serverless-SQSRedrivePolicy', isDeadLetterQueue);
    acknowledge(this.signalDeadLetterQueue, 'Serverless-SQSRedrivePolicy', isDeadLetterQueue);
  }
}
