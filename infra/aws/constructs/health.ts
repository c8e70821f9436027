import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { healthRoute } from '../../../functions/routes.js';
import { queues, tables } from '../../resources.js';
import type { StageConfig } from '../stage-config.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface HealthProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  signalsTable: ITable;
  signalQueue: IQueue;
}

/**
 * GET /v1/health for uptime checks: it may describe the signals table and read the signal queue's
 * attributes, and nothing else; no item, no message, no key.
 */
export class Health extends Construct {
  readonly function: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: HealthProps) {
    super(scope, id);
    // Each check gives up after 1 s; 5 s leaves room for a cold start without holding a prober long.
    const fn = new MeldrouteFunction(this, 'Health', { name: healthRoute.functionName, config: props.config, timeout: Duration.seconds(5) });
    fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: [props.signalsTable.tableArn] }));
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [props.signalQueue.queueArn] }));
    fn.addEnvironment(tables.signals.env, props.signalsTable.tableName);
    fn.addEnvironment(queues.signals.env, props.signalQueue.queueUrl);
    props.api.addRoutes(fn);
    this.function = fn;
  }
}
