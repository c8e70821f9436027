import type { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalFunctions } from '../../../infra/local/functions.js';
import { S3Notifier } from '../../../infra/local/s3-notifier.js';

/** A handler that fails its first `failures` invocations, and a queue that records what it is sent. */
function setUp(failures: number) {
  const invocations: unknown[] = [];
  const functions = {
    invoke: async (_name: string, event: unknown) => {
      invocations.push(event);
      if (invocations.length <= failures) throw Object.assign(new Error('boom'), { name: 'QueueDown' });
    },
  } as unknown as LocalFunctions;
  const sent: SendMessageCommand[] = [];
  const sqs = { send: async (command: SendMessageCommand) => void sent.push(command) } as never;
  const logs: string[] = [];
  const notifier = new S3Notifier(functions, sqs, {
    functionName: 'email-intake',
    region: 'eu-central-1',
    retryDelaysMs: [1, 1],
    failureQueueUrl: 'http://localhost/failures',
    log: (line) => logs.push(line),
  });
  return { notifier, invocations, sent, logs };
}

const object = { bucket: 'meldroute-mail', key: 'inbound/x', size: 10 };

describe('S3Notifier, playing Lambda asynchronous invocation', () => {
  it('invokes the handler once with the S3 event when it succeeds', async () => {
    const { notifier, invocations, sent } = setUp(0);
    notifier.objectCreated(object);
    await notifier.drain();
    expect(invocations).toHaveLength(1);
    expect(sent).toHaveLength(0);
    expect(notifier.idle).toBe(true);
  });

  it('retries a failed invocation twice with the same event', async () => {
    const { notifier, invocations, sent } = setUp(2);
    notifier.objectCreated(object);
    await notifier.drain();
    expect(invocations).toHaveLength(3);
    expect(new Set(invocations.map((e) => JSON.stringify(e))).size).toBe(1);
    expect(sent).toHaveLength(0);
  });

  it('sends the event to the on-failure queue after three failed attempts, with the reason', async () => {
    const { notifier, sent } = setUp(3);
    notifier.objectCreated(object);
    await notifier.drain();
    expect(sent).toHaveLength(1);
    const record = JSON.parse(sent[0]!.input.MessageBody!);
    expect(sent[0]!.input.QueueUrl).toBe('http://localhost/failures');
    expect(record).toMatchObject({
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { Records: [{ s3: { object: { key: 'inbound/x' } } }] },
      responsePayload: { errorType: 'QueueDown' },
    });
  });
});
