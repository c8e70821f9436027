import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CfnElement, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { entryPath, type FunctionName } from '../../../functions/routes.js';
import { tables } from '../../resources.js';
import { bundling } from '../bundling.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';

const { alias: _alias, ...esbuildSettings } = bundling;

export const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Where the handlers' Powertools metrics (EMF) land in CloudWatch; the dashboard reads them there. */
export const METRICS_NAMESPACE = 'Meldroute';

export interface MeldrouteFunctionProps {
  /** The handler, by the name the local runner also uses: its entry comes from functions/routes.ts. */
  name: FunctionName;
  config: StageConfig;
  memorySize?: number;
  timeout?: Duration;
  environment?: Record<string, string>;
  /**
   * Why a function invoked asynchronously (by a schedule) needs no dead-letter queue; without it the
   * function is never invoked asynchronously, and cdk-nag's DLQ rule is acknowledged as such.
   */
  asynchronousWithoutDlq?: string;
}

/** The KMS actions CDK's own table grants give for reading, and in addition for writing. */
const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];

/**
 * Every Lambda of Meldroute: one minified ESM bundle (infra/aws/bundling.ts) built by the esbuild in
 * devDependencies (never Docker), Node 22 on arm64, the SDK v3 clients bundled so esbuild tree-shakes
 * them, X-Ray tracing, Powertools settings and a log group with the stage's retention.
 */
export class MeldrouteFunction extends NodejsFunction {
  readonly handlerName: FunctionName;
  /** The handler's source file, as the local runner resolves it too. */
  readonly entry: string;
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: MeldrouteFunctionProps) {
    const { name, config } = props;
    const entry = entryPath(projectRoot, name);
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: config.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    // Its own role, writing only to its own log group, instead of AWSLambdaBasicExecutionRole's logs:* on every group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(new PolicyStatement({ actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }));
    super(scope, id, {
      role,
      entry,
      handler: 'handler',
      projectRoot,
      depsLockFilePath: join(projectRoot, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      // Off: X-Ray without the SDK clients captured tells little, and Powertools Tracer capturing them
      // measured +122 KB per bundle (the X-Ray SDK and semver), against the 300 KB cold-start budget.
      tracing: Tracing.DISABLED,
      logGroup,
      description: `Meldroute ${name} (${config.stage})`,
      // Source maps ship beside each bundle for reading a stack trace, but are not enabled at run time
      // (--enable-source-maps): bench:coldstart measured +14 to +30 ms per cold start, and our logs carry no stacks.
      environment: {
        POWERTOOLS_SERVICE_NAME: `meldroute-${name}`,
        POWERTOOLS_LOG_LEVEL: config.logLevel,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        ...props.environment,
      },
      bundling: {
        ...esbuildSettings,
        esbuildArgs: { '--alias': Object.entries(bundling.alias).map(([from, to]) => `${from}=${to}`) },
        format: OutputFormat.ESM,
        mainFields: [...bundling.mainFields],
        bundleAwsSDK: true,
        forceDockerBundling: false,
      },
    });
    this.handlerName = name;
    this.entry = entry;
    this.executionRole = role;
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'Actions that accept no resource but *: dynamodb:ListStreams, which the stream event source of the aggregator needs.',
    );
    for (const rule of ['AwsSolutions-L1', 'Serverless-LambdaLatestVersion']) {
      acknowledge(
        this,
        rule,
        'Node.js 22 on purpose: the same code runs and is tested locally on Node 20, and 22 is the nearest Lambda runtime; move to 24 with the local toolchain.',
      );
    }
    acknowledge(
      this,
      'Serverless-LambdaTracing',
      'Tracing is off on purpose: Powertools Tracer capturing the SDK clients measured +122 KB per bundle against the 300 KB cold-start budget; correlation ids in the logs and the dashboard serve the operator instead.',
    );
    acknowledge(
      this,
      'Serverless-LambdaDLQ',
      props.asynchronousWithoutDlq ??
        "Never invoked asynchronously: API Gateway invokes synchronously, the SQS mapping retries into the queue's DLQ, the stream mapping into its on-failure queue.",
    );
  }

  private acknowledgeKmsWriteGrant(): void {
    for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
      acknowledge(
        this.executionRole,
        `AwsSolutions-IAM5[Action::${action}]`,
        "CDK's grant for writing to a table or queue encrypted with our storage key; the statement names that one key.",
      );
    }
  }

  /** Grants the table and tells the handler its name, through the variable the local runner sets too. */
  useTable(name: keyof typeof tables, table: ITable, access: 'read' | 'write' | 'readWrite'): this {
    if (access === 'read') table.grantReadData(this);
    else if (access === 'write') table.grantWriteData(this);
    else table.grantReadWriteData(this);
    if (access !== 'read') this.acknowledgeKmsWriteGrant();
    if ('indexes' in tables[name]) {
      const logicalId = Stack.of(table).getLogicalId(table.node.defaultChild as CfnElement);
      acknowledge(
        this.executionRole,
        `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/index/*]`,
        "CDK's table grant names the table's indexes too (`/index/*`): each projects part of the items this function may read already, and nothing writes to an index.",
      );
    }
    this.addEnvironment(tables[name].env, table.tableName);
    return this;
  }

  /**
   * Grants exactly the given DynamoDB actions on the table, and the key's use for them, and tells the handler
   * the table's name. With `onlyKeysStartingWith`, only on items whose key starts so (dynamodb:LeadingKeys):
   * finer than useTable, for a function that needs a part of a table.
   */
  useTableActions(name: keyof typeof tables, table: ITable, actions: readonly string[], onlyKeysStartingWith?: string): this {
    this.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        ...(onlyKeysStartingWith && { conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${onlyKeysStartingWith}*`] } } }),
      }),
    );
    const writes = actions.some((action) => /:(Put|Update|Delete|BatchWrite)/.test(action));
    table.encryptionKey?.grant(this, ...KEY_READ_ACTIONS, ...(writes ? KEY_WRITE_ACTIONS : []));
    if (writes) this.acknowledgeKmsWriteGrant();
    this.addEnvironment(tables[name].env, table.tableName);
    return this;
  }

  /** Grants sending to the queue and sets its URL in the handler's environment. */
  useQueueForSending(envName: string, queue: IQueue): this {
    queue.grantSendMessages(this);
    this.acknowledgeKmsWriteGrant();
    this.addEnvironment(envName, queue.queueUrl);
    return this;
  }
}
