import { SendMessageBatchCommand, type SendMessageBatchCommandInput, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SqsSignalQueue } from '#adapters/sqs/signal-queue.js';
import type { SignalRecord } from '#domain/signal/index.js';

const sqs = mockClient(SQSClient);
const queue = new SqsSignalQueue(new SQSClient({}), 'https://sqs.local/000000000000/signals');
beforeEach(() => sqs.reset());

const record = (n: number, padding = 0) =>
  ({ signalId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, channel: 'api', pad: 'x'.repeat(padding) }) as unknown as SignalRecord;
const records = (count: number, padding = 0) => Array.from({ length: count }, (_, n) => record(n, padding));
const entriesOf = (call: number) => (sqs.commandCalls(SendMessageBatchCommand)[call]!.args[0].input as SendMessageBatchCommandInput).Entries!;
/** Answers every entry successful, except those `fail` names, reported failed with the given fault. */
const answering =
  (fail: (id: string, call: number) => false | { senderFault: boolean } = () => false) =>
  (input: SendMessageBatchCommandInput) => {
    const call = sqs.commandCalls(SendMessageBatchCommand).length - 1;
    const entries = input.Entries ?? [];
    const failed = entries.filter((e) => fail(e.Id!, call));
    return {
      Successful: entries.filter((e) => !fail(e.Id!, call)).map((e) => ({ Id: e.Id!, MessageId: `m-${e.Id}`, MD5OfMessageBody: '' })),
      Failed: failed.map((e) => ({ Id: e.Id!, Code: 'InternalError', SenderFault: (fail(e.Id!, call) as { senderFault: boolean }).senderFault })),
    };
  };

describe('SqsSignalQueue.send', () => {
  it('sends one record as its JSON, with the channel as a message attribute', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await queue.send(record(1));
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: 'https://sqs.local/000000000000/signals',
      MessageBody: JSON.stringify(record(1)),
      MessageAttributes: { channel: { DataType: 'String', StringValue: 'api' } },
    });
  });
});

describe('SqsSignalQueue.sendBatch', () => {
  it('sends 25 records in SendMessageBatch calls of at most 10, and reports each on the queue', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(answering());
    expect(await queue.sendBatch(records(25))).toEqual(Array(25).fill(true));
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 5]);
    expect(entriesOf(2)[4]).toEqual({
      Id: '24',
      MessageBody: JSON.stringify(record(24)),
      MessageAttributes: { channel: { DataType: 'String', StringValue: 'api' } },
    });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('keeps each call within 256 KiB however large the records', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(answering());
    expect(await queue.sendBatch(records(10, 60_000))).toEqual(Array(10).fill(true));
    const sizes = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.reduce((sum, e) => sum + e.MessageBody!.length + 9, 0));
    expect(sizes.length).toBeGreaterThan(2);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(262_144);
  });

  it('sends again what SQS reports failed, only that, and reports it on the queue once it got there', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(answering((id, call) => call === 0 && ['3', '7'].includes(id) && { senderFault: false }));
    expect(await queue.sendBatch(records(10))).toEqual(Array(10).fill(true));
    expect(entriesOf(1).map((e) => e.Id)).toEqual(['3', '7']);
  });

  it('gives up on an entry after three tries, and never tries again what SQS refuses as the sender’s fault', async () => {
    sqs.on(SendMessageBatchCommand).callsFake(answering((id) => (id === '1' ? { senderFault: false } : id === '2' ? { senderFault: true } : false)));
    expect(await queue.sendBatch(records(4))).toEqual([true, false, false, true]);
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.map((e) => e.Id))).toEqual([['0', '1', '2', '3'], ['1'], ['1']]);
  });

  it('reports the entries of a call that failed as a whole as not on the queue, and the others as on it', async () => {
    const answer = answering();
    sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => {
      if (input.Entries![0]!.Id === '10') throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      return answer(input);
    });
    const sent = await queue.sendBatch(records(25));
    expect(sent.slice(0, 10)).toEqual(Array(10).fill(true));
    expect(sent.slice(10, 20)).toEqual(Array(10).fill(false));
    expect(sent.slice(20)).toEqual(Array(5).fill(true));
  });

  it('throws when no message got on the queue, so the request can answer 503', async () => {
    sqs.on(SendMessageBatchCommand).rejects(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    await expect(queue.sendBatch(records(12))).rejects.toThrow('down');
  });

  it('sends nothing for no records', async () => {
    expect(await queue.sendBatch([])).toEqual([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
