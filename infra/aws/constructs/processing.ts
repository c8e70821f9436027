import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { eventFunctions } from '../../../functions/routes.js';
import { eventSources } from '../../resources.js';
import { acknowledge } from '../nag-suppressions.js';
import type { StageConfig } from '../stage-config.js';
import { CONSUMER_TIMEOUT } from './data.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface ProcessingProps {
  config: StageConfig;
  signalQueue: IQueue;
  signalsTable: ITable;
  linksTable: ITable;
}

/**
 * Drains the signal queue into the signals table, and links each signal in the links table; a failed
 * message returns, and after five receives goes to the DLQ.
 */
export class Processing extends Construct {
  readonly consumer: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: ProcessingProps) {
    super(scope, id);
    this.consumer = new MeldrouteFunction(this, 'SignalConsumer', {
      name: eventFunctions.signalQueue,
      config: props.config,
      timeout: CONSUMER_TIMEOUT,
      environment: { SIGNAL_RETENTION_DAYS: String(props.config.signalRetentionDays) },
    })
      .useTable('signals', props.signalsTable, 'write')
      // A redelivered message of a stored signal: whether it was erased since, so as not to link it again.
      .useTableActions('signals', props.signalsTable, ['dynamodb:GetItem'])
      // Links each stored signal to earlier ones of the same person: it writes the index, never reads it.
      .useTable('links', props.linksTable, 'write');
    const source = new SqsEventSource(props.signalQueue, {
      batchSize: eventSources.signalConsumer.batchSize,
      reportBatchItemFailures: true,
      maxConcurrency: props.config.consumerMaxConcurrency,
    });
    this.consumer.addEventSource(source);
    acknowledge(
      this.consumer,
      'Serverless-LambdaEventSourceMappingDestination',
      "An SQS mapping takes no on-failure destination: a failed message returns to the queue, and after five receives the queue's redrive policy moves it to the dead-letter queue.",
    );
  }
}
