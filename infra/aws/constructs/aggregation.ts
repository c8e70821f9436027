import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventFunctions } from '../../../functions/routes.js';
import { eventSources } from '../../resources.js';
import type { StageConfig } from '../stage-config.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface AggregationProps {
  config: StageConfig;
  signalsTable: ITable;
  statisticsTable: ITable;
  failureQueue: IQueue;
}

/**
 * Keeps the counters from the signals table's stream. A failing batch is halved until the bad record
 * is alone, retried a bounded number of times, and then described on the failure queue.
 */
export class Aggregation extends Construct {
  readonly aggregator: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: AggregationProps) {
    super(scope, id);
    this.aggregator = new MeldrouteFunction(this, 'Aggregator', {
      name: eventFunctions.signalsStream,
      config: props.config,
      timeout: Duration.seconds(60),
    }).useTable('statistics', props.statisticsTable, 'readWrite');
    this.aggregator.addEventSource(
      new DynamoEventSource(props.signalsTable, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: eventSources.aggregator.batchSize,
        bisectBatchOnError: true,
        retryAttempts: eventSources.aggregator.maxRetries,
        reportBatchItemFailures: true,
        // One batch at a time per shard keeps a signal's versions in order, as the counters expect.
        parallelizationFactor: 1,
        onFailure: new SqsDlq(props.failureQueue),
      }),
    );
  }
}
