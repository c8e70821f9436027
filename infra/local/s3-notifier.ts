import { randomBytes, randomUUID } from 'node:crypto';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event } from 'aws-lambda';
import type { FunctionName } from '../../functions/routes.js';
import type { LocalFunctions } from './functions.js';
import { sleep } from './network.js';

export interface StoredObject {
  bucket: string;
  key: string;
  size: number;
}

/** Builds the event S3 hands a Lambda function when an object is created. */
export function toS3Event(object: StoredObject, region: string, eventTime = new Date()): S3Event {
  const hex = (n: number) => randomBytes(n).toString('hex').toUpperCase();
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: eventTime.toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:SES' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': hex(8), 'x-amz-id-2': randomBytes(48).toString('base64') },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'mail-received',
          bucket: { name: object.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${object.bucket}` },
          // S3 URL-encodes the key in its events, with "+" for a space.
          object: {
            key: encodeURIComponent(object.key).replace(/%2F/g, '/').replace(/%20/g, '+'),
            size: object.size,
            eTag: hex(16).toLowerCase(),
            sequencer: hex(9),
          },
        },
      },
    ],
  };
}

export interface S3NotifierOptions {
  functionName: FunctionName;
  region: string;
  /** Lambda retries a failed asynchronous invocation twice, waiting between attempts. */
  retryDelaysMs: number[];
  failureQueueUrl: string;
  log: (line: string) => void;
}

/**
 * Plays S3's event notification with Lambda's asynchronous invocation: the handler is invoked, retried
 * twice on failure, and an event that still fails goes to the on-failure destination queue.
 */
export class S3Notifier {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly functions: LocalFunctions,
    private readonly sqs: SQSClient,
    private readonly options: S3NotifierOptions,
  ) {}

  objectCreated(object: StoredObject): void {
    const delivery = this.deliver(toS3Event(object, this.options.region)).finally(() => this.pending.delete(delivery));
    this.pending.add(delivery);
  }

  get idle(): boolean {
    return this.pending.size === 0;
  }

  /** Waits for the invocations under way, as a stopping runner should. */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private async deliver(event: S3Event): Promise<void> {
    const { functionName, retryDelaysMs, log } = this.options;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= retryDelaysMs.length; attempt++) {
      if (attempt > 0) await sleep(retryDelaysMs[attempt - 1]!);
      try {
        await this.functions.invoke(functionName, event);
        return;
      } catch (error) {
        lastError = error as Error;
        log(`${functionName} failed (attempt ${attempt + 1}): ${lastError.name}`);
      }
    }
    // The record Lambda sends to an on-failure destination: the request, and why it failed.
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.options.failureQueueUrl,
        MessageBody: JSON.stringify({
          version: '1.0',
          timestamp: new Date().toISOString(),
          requestContext: {
            requestId: randomUUID(),
            functionArn: `arn:aws:lambda:${this.options.region}:000000000000:function:${functionName}`,
            condition: 'RetriesExhausted',
            approximateInvokeCount: retryDelaysMs.length + 1,
          },
          requestPayload: event,
          responseContext: { statusCode: 200, functionError: 'Unhandled' },
          responsePayload: { errorType: lastError?.name, errorMessage: lastError?.message },
        }),
      }),
    );
    log(`${functionName}: event sent to the failure queue after ${retryDelaysMs.length + 1} attempts`);
  }
}
