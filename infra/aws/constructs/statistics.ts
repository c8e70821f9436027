import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { StageConfig } from '../stage-config.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface StatisticsProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  statisticsTable: ITable;
}

/** GET /v1/statistics for the dashboards of the bestuurlijke tafel: reads the counters, never the signals. */
export class Statistics extends Construct {
  readonly statistics: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: StatisticsProps) {
    super(scope, id);
    this.statistics = new MeldrouteFunction(this, 'Statistics', { name: 'statistics', config: props.config }).useTable(
      'statistics',
      props.statisticsTable,
      'read',
    );
    props.api.addRoutes(this.statistics);
  }
}
