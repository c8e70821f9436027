import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsJournal } from '../../../infra/local/sqs-journal.js';
import { startSqsLocal } from '../../../infra/local/sqs-local.js';

const LOCAL_AWS = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/** The emulator with the journal in front of it, on one journal file: what one run of the local stack has. */
async function run(file: string) {
  const emulator = await startSqsLocal(0, 'eu-central-1');
  const journal = SqsJournal.open({ upstream: emulator.endpoint, port: 0, file, log: () => undefined });
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: await journal.listen() });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'meldroute-signals' }));
  const recovered = await journal.recover((name) => (name === 'meldroute-signals' ? QueueUrl : undefined));
  const receiveAll = async () => {
    const bodies: string[] = [];
    for (let empty = 0; empty < 2; ) {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 30 }));
      if (Messages.length === 0) empty++;
      bodies.push(...Messages.map((m) => m.Body!));
      if (Messages.length > 0)
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
    }
    return bodies.sort();
  };
  const stop = async () => {
    sqs.destroy();
    await journal.close();
    await emulator.stop();
  };
  return { sqs, journal, queueUrl: QueueUrl!, recovered, receiveAll, stop };
}

let dir: string;
let running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running) await r.stop();
  running = [];
  rmSync(dir, { recursive: true, force: true });
});

describe('the local SQS journal and SendMessageBatch', () => {
  it('journals every message of a batch before the emulator has it, and puts them back after a stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'meldroute-journal-'));
    const file = join(dir, 'sqs-journal.jsonl');
    const first = await run(file);
    const answer = await first.sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: first.queueUrl,
        Entries: ['a', 'b', 'c'].map((id) => ({
          Id: id,
          MessageBody: `{"signalId":"${id}"}`,
          MessageAttributes: { channel: { DataType: 'String', StringValue: 'api' } },
        })),
      }),
    );
    expect(answer.Successful).toHaveLength(3);
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).op),
    ).toEqual(['send', 'send', 'send']);
    await first.stop();

    // The emulator kept them in memory only: after the stop only the journal has them.
    const second = await run(file);
    running.push(second);
    expect(second.recovered).toBe(3);
    expect(await second.receiveAll()).toEqual(['{"signalId":"a"}', '{"signalId":"b"}', '{"signalId":"c"}']);
  });

  it('puts back nothing of a batch whose messages were received and deleted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'meldroute-journal-'));
    const file = join(dir, 'sqs-journal.jsonl');
    const first = await run(file);
    await first.sqs.send(new SendMessageBatchCommand({ QueueUrl: first.queueUrl, Entries: ['a', 'b'].map((id) => ({ Id: id, MessageBody: id })) }));
    expect(await first.receiveAll()).toEqual(['a', 'b']);
    await first.stop();

    const second = await run(file);
    running.push(second);
    expect(second.recovered).toBe(0);
    expect(await second.receiveAll()).toEqual([]);
  });
});

describe('the local SQS journal under concurrent sends', () => {
  it('shares one sync among the sends that arrive together, and still puts every one back after a stop', async () => {
    dir = mkdtempSync(join(tmpdir(), 'meldroute-journal-'));
    const file = join(dir, 'sqs-journal.jsonl');
    const first = await run(file);
    const bodies = Array.from({ length: 50 }, (_, i) => `{"signalId":"${String(i).padStart(2, '0')}"}`);
    const before = first.journal.syncs;
    await Promise.all(bodies.map((MessageBody) => first.sqs.send(new SendMessageCommand({ QueueUrl: first.queueUrl, MessageBody }))));
    expect(first.journal.syncs - before).toBeGreaterThan(0);
    // Fewer syncs than sends: some shared one. How many depends on how the sends arrive (under CI's load, 34 of 50).
    expect(first.journal.syncs - before).toBeLessThan(bodies.length);
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(50);
    await first.stop();

    const second = await run(file);
    running.push(second);
    expect(second.recovered).toBe(50);
    expect(await second.receiveAll()).toEqual(bodies);
  });
});
