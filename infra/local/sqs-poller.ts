import { DeleteMessageBatchCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSMessageAttributes } from 'aws-lambda';
import type { FunctionName } from '../../functions/routes.js';
import type { LocalFunctions } from './functions.js';
import { Poller } from './poller.js';

export interface SqsPollerOptions {
  queueUrl: string;
  queueArn: string;
  region: string;
  functionName: FunctionName;
  batchSize: number;
  /** How many batches are in flight at once, as Lambda runs several pollers. */
  concurrency: number;
  log: (line: string) => void;
}

/** Builds the event that Lambda's SQS event source mapping hands to a handler. */
export function toSqsEvent(messages: Message[], queueArn: string, region: string): SQSEvent {
  return {
    Records: messages.map((m) => {
      const attributes: Record<string, string> = { ...(m.Attributes as Record<string, string>) };
      const messageAttributes: SQSMessageAttributes = {};
      for (const [name, value] of Object.entries(m.MessageAttributes ?? {})) {
        messageAttributes[name] = {
          dataType: value.DataType ?? 'String',
          ...(value.StringValue !== undefined && { stringValue: value.StringValue }),
          ...(value.BinaryValue !== undefined && { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
          stringListValues: [],
          binaryListValues: [],
        };
      }
      return {
        messageId: m.MessageId!,
        receiptHandle: m.ReceiptHandle!,
        body: m.Body ?? '',
        attributes: {
          ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
          SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
          SenderId: attributes.SenderId ?? 'local',
          ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
        },
        messageAttributes,
        md5OfBody: m.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      };
    }),
  };
}

/**
 * Plays Lambda's SQS event source mapping: receives batches, invokes the handler, and deletes what
 * succeeded; exactly the reported failures stay on the queue to be received again.
 */
export class SqsPoller {
  private readonly poller: Poller;
  private inFlight = 0;

  constructor(
    private readonly sqs: SQSClient,
    private readonly functions: LocalFunctions,
    private readonly options: SqsPollerOptions,
  ) {
    this.poller = new Poller(() => this.pollOnce(), {
      describe: `polling ${options.functionName}'s queue`,
      log: options.log,
      concurrency: options.concurrency,
    });
  }

  start(): void {
    this.poller.start();
  }

  /** Resolves once no batch is being received or handled: from then on no message is handed over. */
  pause(): Promise<void> {
    return this.poller.pause();
  }

  resume(): void {
    this.poller.resume();
  }

  /** True while no batch is being handled. */
  get idle(): boolean {
    return this.inFlight === 0;
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  /** Receives one batch and hands it over; true when there was one. */
  private async pollOnce(): Promise<boolean> {
    const { queueUrl, queueArn, region, functionName, batchSize } = this.options;
    const { Messages } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: batchSize,
        // The emulator holds a long poll open until a full batch or the end of the wait, where SQS
        // answers as soon as messages are there; its short poll gathers for 40 ms, which is closer.
        WaitTimeSeconds: 0,
        // The emulator returns ApproximateReceiveCount only when asked with the older AttributeNames.
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (!Messages?.length) return false;
    // Received just as the pause began: left alone, they reappear when their visibility timeout ends.
    if (this.poller.paused) return true;
    this.inFlight++;
    try {
      let failed: Set<string>;
      try {
        const response = await this.functions.invoke<SQSBatchResponse | undefined>(functionName, toSqsEvent(Messages, queueArn, region));
        failed = new Set(response?.batchItemFailures?.map((f) => f.itemIdentifier) ?? []);
      } catch {
        // A thrown error fails the whole batch, as on Lambda.
        failed = new Set(Messages.map((m) => m.MessageId!));
      }
      const succeeded = Messages.filter((m) => !failed.has(m.MessageId!));
      if (succeeded.length) {
        await this.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: succeeded.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
          }),
        );
      }
      // The failures are left alone, as Lambda leaves them: they reappear when their visibility
      // timeout ends, and the queue's redrive policy moves one that keeps failing to the dead-letter queue.
      if (failed.size) this.options.log(`${functionName}: ${failed.size} of ${Messages.length} messages failed; they return after the visibility timeout`);
      return true;
    } finally {
      this.inFlight--;
    }
  }
}
