import { Annotations, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Bucket, CfnBucket } from 'aws-cdk-lib/aws-s3';
import { ReceiptRuleSet, TlsPolicy } from 'aws-cdk-lib/aws-ses';
import { S3 } from 'aws-cdk-lib/aws-ses-actions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { mailBucket, tables } from '../../resources.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import type { Intake } from './intake.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface EmailIntakeProps {
  config: StageConfig;
  intake: Intake;
  mailBucket: Bucket;
  mailKey: IKey;
  failureQueue: IQueue;
  partnersTable: ITable;
  /** The meldpunt addresses SES receives for (-c mailRecipient=…); none: no receipt rule. */
  recipients: string[];
}

/**
 * The e-mail channel: SES receives mail for the meldpunt address and stores it in the mail bucket; the
 * object's creation invokes the e-mail intake, which makes it a signal like the API does and deletes it.
 * Verifying the domain (MX, DKIM) and activating the rule set are one-off steps in the README.
 */
export class EmailIntake extends Construct {
  readonly function: MeldrouteFunction;
  readonly ruleSet?: ReceiptRuleSet;

  constructor(scope: Construct, id: string, props: EmailIntakeProps) {
    super(scope, id);
    const { config } = props;

    this.function = props.intake.equip(
      new MeldrouteFunction(this, 'EmailIntake', {
        name: 'email-intake',
        config,
        // A message of up to 10 MB is parsed in memory, attachments included.
        memorySize: 1024,
        timeout: Duration.seconds(60),
      }),
    );
    // Of the partners table only the sender entries: never the API keys' hashes.
    this.function.addEnvironment(tables.partners.env, props.partnersTable.tableName);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem'],
        resources: [props.partnersTable.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['sender#*'] } },
      }),
    );
    props.partnersTable.encryptionKey?.grant(this.function, 'kms:Decrypt');
    props.mailKey.grant(this.function, 'kms:Decrypt');

    // Read and delete received messages, and nothing else (grantRead would add List and GetBucket*). In a
    // policy of its own, which the function does not wait for: the bucket's notification refers to the
    // function, so a statement naming the bucket in the function's default policy would be a cycle.
    const mailAccess = new Policy(this, 'MailAccess', {
      statements: [
        new PolicyStatement({ actions: ['s3:GetObject', 's3:DeleteObject'], resources: [props.mailBucket.arnForObjects(`${mailBucket.keyPrefix}*`)] }),
      ],
    });
    this.function.executionRole.attachInlinePolicy(mailAccess);
    acknowledge(
      mailAccess,
      `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(props.mailBucket.node.defaultChild as never)}.Arn>/${mailBucket.keyPrefix}*]`,
      'SES names each stored message by its own message id, so the intake may read and delete any object under the inbound/ prefix, and only there.',
    );
    // S3 invokes asynchronously: two retries, then the event goes to the failure queue, whose alarm calls
    // someone while the message is still in the bucket (a day).
    this.function.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new SqsDestination(props.failureQueue) });
    this.notifyOnMail(props.mailBucket);

    if (props.recipients.length === 0) {
      Annotations.of(this).addWarningV2(
        'meldroute:no-mail-recipient',
        'No meldpunt address given (-c mailRecipient=meldpunt@example.nl): no SES receipt rule, so the e-mail channel receives nothing.',
      );
      return;
    }
    this.ruleSet = new ReceiptRuleSet(this, 'ReceiptRules', {
      rules: [
        {
          recipients: props.recipients,
          // SES marks spam, viruses, SPF and DKIM in the stored message; the intake refuses on them.
          scanEnabled: true,
          // Signals carry personal data: only over TLS.
          tlsPolicy: TlsPolicy.REQUIRE,
          actions: [new S3({ bucket: props.mailBucket, objectKeyPrefix: mailBucket.keyPrefix })],
        },
      ],
    });
    new CfnOutput(this, 'ReceiptRuleSetName', {
      value: this.ruleSet.receiptRuleSetName,
      description: 'Activate once: aws ses set-active-receipt-rule-set --rule-set-name <this>',
    });
  }

  /**
   * The bucket invokes the intake for every object under inbound/. Set on the bucket itself rather than
   * through bucket.addEventNotification, whose deploy-time custom resource would be a Lambda with the
   * AWS-managed basic execution role. S3 checks the permission when the configuration is set, and the
   * permission cannot name the bucket without a cycle, so it names the account.
   */
  private notifyOnMail(bucket: Bucket) {
    this.function.addPermission('InvokedByMailBucket', { principal: new ServicePrincipal('s3.amazonaws.com'), sourceAccount: Stack.of(this).account });
    const permission = this.function.permissionsNode.findChild('InvokedByMailBucket');
    const cfnBucket = bucket.node.defaultChild as CfnBucket;
    cfnBucket.notificationConfiguration = {
      lambdaConfigurations: [
        {
          event: 's3:ObjectCreated:*',
          function: this.function.functionArn,
          filter: { s3Key: { rules: [{ name: 'prefix', value: mailBucket.keyPrefix }] } },
        },
      ],
    };
    cfnBucket.node.addDependency(permission);
  }
}
