import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start();
  // The consumer would take the moved messages off the signal queue before the test could see them there.
  await stack.command('pause-consumer');
});
afterAll(() => stack?.stop());

const redrive = () =>
  run(process.execPath, ['--import', 'tsx', resolve(root, 'infra/redrive.ts')], {
    cwd: root,
    env: { ...process.env, SQS_PORT: new URL(stack.ready.sqsEndpoint).port, NODE_NO_WARNINGS: '1' },
  });

/** Receives until `count` messages came, with their message attributes (the channel the consumer reads). */
async function receive(queueUrl: string, count: number): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + 10_000;
  while (messages.length < count && Date.now() < deadline) {
    const { Messages = [] } = await stack.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30, MessageAttributeNames: ['All'] }),
    );
    messages.push(...Messages);
  }
  return messages;
}

describe('npm run redrive against the local stack', () => {
  it('moves what is on the dead-letter queue back to the signal queue, bodies and attributes intact, and says how many', async () => {
    const bodies = ['{"n":1}', '{"n":2}', '{"n":3}'];
    for (const body of bodies) {
      await stack.sqs.send(
        new SendMessageCommand({
          QueueUrl: stack.ready.queues.signalsDeadLetter,
          MessageBody: body,
          MessageAttributes: { channel: { DataType: 'String', StringValue: 'api' } },
        }),
      );
    }

    const { stdout } = await redrive();
    expect(stdout).toContain('moved 3 of 3');
    expect(stdout).toMatch(/Done: 3 messages moved back to meldroute-signals\b/);

    const moved = await receive(stack.ready.queues.signals, 3);
    expect(moved.map((m) => m.Body).sort()).toEqual(bodies);
    expect(moved.every((m) => m.MessageAttributes?.channel?.StringValue === 'api')).toBe(true);
    expect(await stack.peek(stack.ready.queues.signalsDeadLetter)).toEqual([]);
    // Not signals: taken off again, so that stopping the stack need not wait for them.
    for (const m of moved) await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: stack.ready.queues.signals, ReceiptHandle: m.ReceiptHandle }));
  });

  it('says so when the dead-letter queue is empty', async () => {
    const { stdout } = await redrive();
    expect(stdout).toContain('meldroute-signals-dlq in the local stack');
    expect(stdout).toContain('is empty: nothing to move');
  });
});
