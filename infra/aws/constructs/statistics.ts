import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { eventFunctions } from '../../../functions/routes.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface StatisticsProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  statisticsTable: ITable;
}

/** How often the schedule asks whether a public release is due; the release interval itself is PUBLIC_RELEASE_INTERVAL. */
export const RELEASE_SCHEDULE = Duration.minutes(15);

/** The items of the statistics table that hold public releases (shared/adapters/dynamodb/release-store.ts). */
const RELEASE_ITEMS = 'release#';

/**
 * GET /v1/statistics for the dashboards of the bestuurlijke tafel: reads the counters, never the signals.
 * GET /v1/public/statistics for anyone: reads only the public releases. The release function, every 15
 * minutes, copies the counters into a new release when one is due; it may read the counters and write
 * releases, nothing else.
 */
export class Statistics extends Construct {
  readonly statistics: MeldrouteFunction;
  readonly publicStatistics: MeldrouteFunction;
  readonly release: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    const { config, statisticsTable } = props;
    this.statistics = new MeldrouteFunction(this, 'Statistics', { name: 'statistics', config }).useTable('statistics', statisticsTable, 'read');
    props.api.addRoutes(this.statistics);

    this.publicStatistics = new MeldrouteFunction(this, 'PublicStatistics', { name: 'public-statistics', config }).useTableActions(
      'statistics',
      statisticsTable,
      ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      RELEASE_ITEMS,
    );
    props.api.addRoutes(this.publicStatistics);

    this.release = new MeldrouteFunction(this, 'Release', {
      name: eventFunctions.releaseSchedule,
      config,
      timeout: Duration.minutes(2),
      environment: { PUBLIC_RELEASE_INTERVAL: '24h' },
      asynchronousWithoutDlq:
        'Invoked only by its 15-minute schedule, whose events carry nothing: a failed run is made again by the next one, and its errors alarm through Monitoring.',
    })
      .useTableActions('statistics', statisticsTable, ['dynamodb:GetItem', 'dynamodb:BatchGetItem'])
      .useTableActions('statistics', statisticsTable, ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'], RELEASE_ITEMS);
    const schedule = new Rule(this, 'ReleaseSchedule', {
      description: `Meldroute ${config.stage}: makes a public release of the figures when one is due`,
      schedule: Schedule.rate(RELEASE_SCHEDULE),
    });
    // A late tick is worth nothing once the next is near: two retries, within 10 minutes.
    schedule.addTarget(new LambdaFunction(this.release, { retryAttempts: 2, maxEventAge: Duration.minutes(10) }));
    acknowledge(
      schedule,
      'Serverless-EventBusDLQ',
      'A schedule event carries nothing to keep: a tick that cannot be delivered is replaced by the next one 15 minutes later.',
    );
  }
}
