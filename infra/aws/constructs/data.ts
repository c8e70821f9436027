import { Aws, CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { mailBucket, queues, tables } from '../../resources.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import { auditTableResourcePolicy } from './audit-log-policy.js';

type IndexSpec = { projection: 'all' | 'keys' | 'include'; attributes?: readonly string[] };

/** An index's projection: all attributes, the keys only, or the keys and the named attributes (`include`). */
const projectionOf = (index: IndexSpec) =>
  index.projection === 'include'
    ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...(index.attributes ?? [])] }
    : { projectionType: index.projection === 'all' ? ProjectionType.ALL : ProjectionType.KEYS_ONLY };

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
  /** Encrypts received mail in the mail bucket; SES may use it to write, only the e-mail intake to read. */
  readonly mailKey: Key;
  /** Received mail, from SES's receipt rule until the e-mail intake has made it a signal. */
  readonly mailBucket: Bucket;
  /** The e-mail intake's on-failure destination: events it failed three times. */
  readonly mailFailureQueue: Queue;

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
      const created = new Table(this, `${name[0]!.toUpperCase()}${name.slice(1)}Table`, {
        partitionKey: { name: spec.partitionKey, type: AttributeType.STRING },
        ...('sortKey' in spec && { sortKey: { name: spec.sortKey, type: AttributeType.STRING } }),
        billingMode: BillingMode.PAY_PER_REQUEST,
        encryption: TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: this.storageKey,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: retain,
        ...(spec.stream && { stream: StreamViewType.NEW_AND_OLD_IMAGES }),
        ...('ttl' in spec && { timeToLiveAttribute: spec.ttl }),
        // The audit log's own policy: no item deleted, no entry updated, by anyone (see audit-log-policy.ts).
        ...(name === 'audit' && { resourcePolicy: auditTableResourcePolicy() }),
      });
      for (const index of 'indexes' in spec ? spec.indexes : []) {
        created.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
          sortKey: { name: index.sortKey, type: AttributeType.STRING },
          ...projectionOf(index),
        });
      }
      return created;
    };
    this.tables = {
      signals: table('signals'),
      statistics: table('statistics'),
      intakeClaims: table('intakeClaims'),
      partners: table('partners'),
      links: table('links'),
      audit: table('audit'),
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

    this.mailFailureQueue = queue('MailFailureQueue', { retentionPeriod: Duration.days(14) });

    this.mailKey = new Key(this, 'MailKey', {
      description: 'Meldroute: received mail at rest in the mail bucket',
      enableKeyRotation: true,
      removalPolicy: retain,
    });
    // SES writes each message into the bucket, whose default encryption makes S3 ask KMS for a data key
    // on SES's behalf; only for this account's receipt rules.
    this.mailKey.addToResourcePolicy(
      new PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Encrypt'],
        principals: [new ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.mailBucket = new Bucket(this, 'MailBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: this.mailKey,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: false,
      removalPolicy: retain,
      lifecycleRules: [
        // A backstop: the intake deletes each message as soon as its signal is on the queue.
        { id: 'ExpireUnprocessedMail', expiration: Duration.days(mailBucket.expirationDays), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    acknowledge(
      this.mailBucket,
      'AwsSolutions-S1',
      "A message rests here for seconds, a day at most; server access logs would keep its object keys in another bucket for longer than the mail itself. Reads and deletes are traced by the intake's logs and X-Ray.",
    );

    // What operators and the key script look up: names and URLs, no secrets.
    new CfnOutput(this, 'PartnersTableName', { value: this.tables.partners.tableName });
    new CfnOutput(this, 'AuditTableName', { value: this.tables.audit.tableName });
    new CfnOutput(this, 'SignalDeadLetterQueueUrl', { value: this.signalDeadLetterQueue.queueUrl });
    new CfnOutput(this, 'AggregatorFailureQueueUrl', { value: this.aggregatorFailureQueue.queueUrl });
    new CfnOutput(this, 'PseudonymisationSecretArn', { value: this.pseudonymSecret.secretArn });
    new CfnOutput(this, 'MailBucketName', { value: this.mailBucket.bucketName });
    new CfnOutput(this, 'MailFailureQueueUrl', { value: this.mailFailureQueue.queueUrl });

    const isDeadLetterQueue =
      "A dead-letter queue itself (the signal queue's, and the aggregator's on-failure destination): a further DLQ would add nothing; its messages raise an alarm.";
    acknowledge(this.aggregatorFailureQueue, 'AwsSolutions-SQS3', isDeadLetterQueue);
    acknowledge(this.aggregatorFailureQueue, 'Serverless-SQSRedrivePolicy', isDeadLetterQueue);
    acknowledge(this.signalDeadLetterQueue, 'Serverless-SQSRedrivePolicy', isDeadLetterQueue);
    const isFailureDestination = "The e-mail intake's on-failure destination: a further DLQ would add nothing; its messages raise an alarm.";
    acknowledge(this.mailFailureQueue, 'AwsSolutions-SQS3', isFailureDestination);
    acknowledge(this.mailFailureQueue, 'Serverless-SQSRedrivePolicy', isFailureDestination);
  }
}
