import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SignalQueue, SignalRecord } from '#domain/signal/index.js';

export class SqsSignalQueue implements SignalQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: SignalRecord): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(record),
        MessageAttributes: { channel: { DataType: 'String', StringValue: record.channel } },
      }),
    );
  }
}
