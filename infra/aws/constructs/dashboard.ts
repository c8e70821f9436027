import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { AlarmStatusWidget, Dashboard, GraphWidget, type IAlarm, type IMetric, SearchExpression, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';
import { METRICS_NAMESPACE, type MeldrouteFunction } from './meldroute-function.js';

export interface MeldrouteDashboardProps {
  config: StageConfig;
  signalQueue: IQueue;
  deadLetterQueues: Record<string, IQueue>;
  aggregator: MeldrouteFunction;
  api: HttpApi;
  functions: MeldrouteFunction[];
  alarms: IAlarm[];
}

const MINUTE = Duration.minutes(1);
const FIVE_MINUTES = Duration.minutes(5);

/**
 * One page for the engineer on call: is the pipeline moving (queue depth and age, the aggregator's
 * lag), is anything stuck (dead-letter queues), does the API fail (4xx, 5xx, Lambda errors and
 * throttles), and how many signals come in per channel. Every figure is a count or a duration.
 */
export class MeldrouteDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MeldrouteDashboardProps) {
    super(scope, id);
    const { config } = props;
    const graph = (title: string, left: IMetric[], extra: Partial<ConstructorParameters<typeof GraphWidget>[0]> = {}) =>
      new GraphWidget({ title, left, width: 8, height: 6, ...extra });

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `meldroute-${config.stage}`,
      defaultInterval: Duration.hours(6),
    });

    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: props.alarms, width: 24, height: 3 }));

    this.dashboard.addWidgets(
      graph(
        'Signal queue: messages waiting and age of the oldest',
        [props.signalQueue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: Stats.MAXIMUM, label: 'waiting' })],
        { right: [props.signalQueue.metricApproximateAgeOfOldestMessage({ period: MINUTE, statistic: Stats.MAXIMUM, label: 'oldest (s)' })] },
      ),
      graph(
        'Dead-letter queues: messages',
        Object.entries(props.deadLetterQueues).map(([name, queue]) =>
          queue.metricApproximateNumberOfMessagesVisible({ period: MINUTE, statistic: Stats.MAXIMUM, label: name }),
        ),
      ),
      graph(
        'Aggregator: stream iterator age (ms)',
        [props.aggregator.metric('IteratorAge', { period: MINUTE, statistic: Stats.MAXIMUM, label: 'iterator age' })],
        { leftAnnotations: [{ value: config.iteratorAgeAlarmSeconds * 1000, label: 'alarm' }] },
      ),
    );

    this.dashboard.addWidgets(
      graph('HTTP API: requests, 4xx and 5xx', [
        props.api.metricCount({ period: FIVE_MINUTES, statistic: Stats.SUM, label: 'requests' }),
        props.api.metricClientError({ period: FIVE_MINUTES, statistic: Stats.SUM, label: '4xx' }),
        props.api.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM, label: '5xx' }),
      ]),
      graph(
        'Signals accepted per channel',
        [
          // The intakes emit SignalsAccepted through Powertools (EMF) with a channel dimension; a search
          // finds every channel, whatever other dimensions (service) Powertools adds.
          new SearchExpression({
            expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="SignalsAccepted"', 'Sum', ${FIVE_MINUTES.toSeconds()})`,
            // A CloudWatch label placeholder, not a template literal.
            // biome-ignore lint/suspicious/noTemplateCurlyInString: CloudWatch fills ${PROP(...)} in, per series.
            label: "${PROP('Dim.channel')}",
            period: FIVE_MINUTES,
          }),
        ],
        { stacked: true },
      ),
      graph(
        'Lambda: errors per function',
        props.functions.map((fn) => fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM, label: fn.handlerName })),
      ),
    );

    this.dashboard.addWidgets(
      graph(
        'Lambda: throttles per function',
        props.functions.map((fn) => fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM, label: fn.handlerName })),
      ),
    );
  }
}
