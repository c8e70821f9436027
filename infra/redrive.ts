/**
 * npm run redrive [-- --stage dev|prod]: moves every message on the signal queue's dead-letter queue back
 * to the signal queue, once whatever made the consumer fail them is fixed; the consumer then takes them
 * as any other. Against the local stack (SQS_PORT, default 9324) unless --stage names a deployed one.
 *
 * SQS moves them itself (StartMessageMoveTask; the local emulator has it too) and this script follows
 * the task until it ends. It prints counts and queue names only: a message is an encrypted signal.
 *
 *   npm run redrive
 *   npm run redrive -- --stage prod --max-per-second 10
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import {
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { stackNameOf, stackOutput } from './aws/stack-outputs.js';
import { queues } from './resources.js';

const USAGE = `usage: npm run redrive [-- --stage dev|prod [--aws-region eu-central-1]] [--max-per-second <n>]
target: the local stack (SQS_PORT, default 9324) unless --stage`;

const { values } = parseArgs({
  options: {
    stage: { type: 'string' },
    'aws-region': { type: 'string' },
    endpoint: { type: 'string' },
    'max-per-second': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const queueName = (url: string) => url.slice(url.lastIndexOf('/') + 1);

/** The dead-letter queue: on AWS named by the stage's stack output, locally by its fixed name. */
async function target(): Promise<{ sqs: SQSClient; deadLetterUrl: string; where: string; pollMs: number }> {
  if (!values.stage) {
    const endpoint = values.endpoint ?? `http://127.0.0.1:${process.env.SQS_PORT ?? 9324}`;
    const sqs = new SQSClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queues.signalsDeadLetter.name }));
    return { sqs, deadLetterUrl: QueueUrl!, where: `the local stack (${endpoint})`, pollMs: 200 };
  }
  const region = values['aws-region'] ?? process.env.AWS_REGION ?? 'eu-central-1';
  const stackName = stackNameOf(values.stage);
  const deadLetterUrl = await stackOutput(new CloudFormationClient({ region }), stackName, 'SignalDeadLetterQueueUrl');
  if (!deadLetterUrl) fail(`${stackName} in ${region} has no SignalDeadLetterQueueUrl output; is it deployed (npx cdk deploy -c stage=${values.stage})?`);
  return { sqs: new SQSClient({ region }), deadLetterUrl, where: `${stackName} (${region})`, pollMs: 5_000 };
}

async function attributes(sqs: SQSClient, queueUrl: string) {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn', 'ApproximateNumberOfMessages'] }));
  return { arn: Attributes!.QueueArn!, waiting: Number(Attributes!.ApproximateNumberOfMessages ?? 0) };
}

async function main() {
  if (values.help) fail(USAGE);
  const perSecond = values['max-per-second'] === undefined ? undefined : Number(values['max-per-second']);
  if (perSecond !== undefined && !(Number.isInteger(perSecond) && perSecond >= 1 && perSecond <= 500))
    fail(`--max-per-second is a whole number from 1 to 500.\n\n${USAGE}`);

  const { sqs, deadLetterUrl, where, pollMs } = await target();
  // The queue whose redrive policy names this dead-letter queue: the signal queue, and nothing else.
  const { queueUrls = [] } = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetterUrl }));
  if (queueUrls.length !== 1) fail(`Expected one source queue of ${queueName(deadLetterUrl)} in ${where}, found ${queueUrls.length}.`);
  const sourceUrl = queueUrls[0]!;
  const deadLetter = await attributes(sqs, deadLetterUrl);
  const source = await attributes(sqs, sourceUrl);

  if (deadLetter.waiting === 0) {
    console.log(`${queueName(deadLetterUrl)} in ${where} is empty: nothing to move.`);
    return;
  }
  console.log(`Moving about ${deadLetter.waiting} messages from ${queueName(deadLetterUrl)} back to ${queueName(sourceUrl)} in ${where}…`);
  try {
    // The destination is named: a message put on the dead-letter queue by hand has no source of its own.
    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetter.arn, DestinationArn: source.arn, MaxNumberOfMessagesPerSecond: perSecond }));
  } catch (error) {
    if (/already.*running|active task/i.test((error as Error).message))
      fail(`A move from ${queueName(deadLetterUrl)} is already running; wait for it, or cancel it in the SQS console.`);
    throw error;
  }

  let reported = -1;
  for (;;) {
    const { Results = [] } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetter.arn, MaxResults: 1 }));
    const task = Results[0];
    if (!task) fail('SQS lists no move task for the dead-letter queue.');
    const moved = task.ApproximateNumberOfMessagesMoved ?? 0;
    if (moved !== reported) {
      console.log(`  moved ${moved} of ${task.ApproximateNumberOfMessagesToMove ?? '?'}`);
      reported = moved;
    }
    if (task.Status === 'COMPLETED') {
      console.log(
        `Done: ${moved} messages moved back to ${queueName(sourceUrl)}. The consumer takes them as any other; a message that fails again returns here after ${queues.signals.maxReceiveCount} receives.`,
      );
      return;
    }
    if (task.Status !== 'RUNNING' && task.Status !== 'CANCELLING') {
      fail(
        `The move ended ${task.Status}${task.FailureReason ? ` (${task.FailureReason})` : ''} after ${moved} messages; what is left stays on ${queueName(deadLetterUrl)}.`,
      );
    }
    await sleep(pollMs);
  }
}

main().catch((error: Error) => {
  if (!values.stage && /ECONNREFUSED/.test(`${(error as NodeJS.ErrnoException).code} ${error.message} ${String(error.cause)}`)) {
    fail('The local stack is not running: start it with npm start, then try again.');
  }
  fail(`${error.name}: ${error.message}`);
});
