import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, type IMetric, MathExpression, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import { MeldrouteDashboard } from './dashboard.js';
import type { MeldrouteFunction } from './meldroute-function.js';

export interface MonitoringProps {
  config: StageConfig;
  functions: MeldrouteFunction[];
  signalQueue: IQueue;
  deadLetterQueues: Record<string, IQueue>;
  aggregator: MeldrouteFunction;
  api: HttpApi;
  /** Where alarms are mailed; the topic exists either way, to subscribe a pager or chat later. */
  alarmEmail?: string;
}

const FIVE_MINUTES = Duration.minutes(5);

/** The alarms the engineer on call needs, all on one SNS topic, and the dashboard beside them. */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  readonly dashboard: MeldrouteDashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const topicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Meldroute: alarm notifications',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes to the encrypted topic, so it must be able to use the topic's key.
    topicKey.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `Meldroute ${props.config.stage} alarms`,
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      acknowledge(
        this.topic,
        'Serverless-SNSRedrivePolicy',
        'An e-mail subscription to alarms: an undelivered mail leaves the alarm in state ALARM in CloudWatch, where it is seen; a dead-letter queue of notifications would itself need watching.',
      );
    }

    const alarm = (id: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new SnsAction(this.topic));
      this.alarms.push(created);
    };

    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(
        `${name}NotEmpty`,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
        1,
        `A message is in ${name}: a signal or a batch could not be processed. See the runbook in the README.`,
      );
    }

    alarm(
      'AggregatorIteratorAge',
      props.aggregator.metric('IteratorAge', { period: Duration.minutes(1), statistic: 'Maximum' }),
      props.config.iteratorAgeAlarmSeconds * 1000,
      `The counters are more than ${props.config.iteratorAgeAlarmSeconds} s behind the signals table.`,
    );

    alarm(
      'Api5xxRate',
      new MathExpression({
        expression: 'IF(requests > 0, 100 * errors / requests, 0)',
        usingMetrics: {
          errors: props.api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
          requests: props.api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
        },
        period: FIVE_MINUTES,
        label: 'API 5xx %',
      }),
      props.config.api5xxAlarmPercent,
      `More than ${props.config.api5xxAlarmPercent}% of API requests failed on our side in five minutes.`,
    );

    for (const fn of props.functions) {
      alarm(`${fn.node.id}Errors`, fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${fn.handlerName} failed.`);
      alarm(`${fn.node.id}Throttles`, fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }), 1, `${fn.handlerName} was throttled.`);
    }

    this.dashboard = new MeldrouteDashboard(this, 'Dashboard', { ...props, alarms: this.alarms });
  }
}
