import { setTimeout as sleep } from 'node:timers/promises';
import { type MessageAttributeValue, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SignalBatchQueue } from '#domain/intake/index.js';
import { mapLimited } from '#domain/kernel/index.js';
import type { SignalQueue, SignalRecord } from '#domain/signal/index.js';

/** SendMessageBatch takes at most 10 messages, together at most 256 KiB (the emulator's limit, and SQS's before 2025). */
const MAX_ENTRIES = 10;
const MAX_BATCH_BYTES = 262_144;
/** Tries per message that SQS reports failed; a failed call as a whole the SDK client has retried already. */
const ATTEMPTS = 3;
const PARALLEL_CALLS = 8;

type Message = { MessageBody: string; MessageAttributes: Record<string, MessageAttributeValue> };

const messageOf = (record: SignalRecord): Message => ({
  MessageBody: JSON.stringify(record),
  MessageAttributes: { channel: { DataType: 'String', StringValue: record.channel } },
});

/** A message's size as SQS counts it: the body, and each attribute's name, type and value. */
const sizeOf = (message: Message) =>
  Buffer.byteLength(message.MessageBody) +
  Object.entries(message.MessageAttributes).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value.DataType ?? '') + Buffer.byteLength(value.StringValue ?? ''),
    0,
  );

/** The messages' indexes in batches of at most 10 and 256 KiB, in order. */
function batchesOf(messages: readonly Message[]): number[][] {
  const batches: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  messages.forEach((message, index) => {
    const size = sizeOf(message);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  });
  if (current.length > 0) batches.push(current);
  return batches;
}

export class SqsSignalQueue implements SignalQueue, SignalBatchQueue {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(record: SignalRecord): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, ...messageOf(record) }));
  }

  /**
   * SendMessageBatch, several calls at once. An entry SQS reports failed is sent again (up to three tries),
   * unless the fault is the sender's (a message it will always refuse); a call that fails as a whole leaves
   * its entries failed. Only an entry SQS reported successful is on the queue.
   */
  async sendBatch(records: readonly SignalRecord[]): Promise<boolean[]> {
    const messages = records.map(messageOf);
    const sent = records.map(() => false);
    let lastError: unknown;
    await mapLimited(batchesOf(messages), PARALLEL_CALLS, async (batch) => {
      let pending = batch;
      for (let attempt = 1; pending.length > 0 && attempt <= ATTEMPTS; attempt++) {
        if (attempt > 1) await sleep(50 * 2 ** (attempt - 2));
        try {
          const answer = await this.client.send(
            new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending.map((index) => ({ Id: String(index), ...messages[index]! })) }),
          );
          for (const ok of answer.Successful ?? []) sent[Number(ok.Id)] = true;
          const refused = new Set((answer.Failed ?? []).filter((f) => f.SenderFault).map((f) => Number(f.Id)));
          pending = pending.filter((index) => !sent[index] && !refused.has(index));
        } catch (error) {
          lastError = error;
          return;
        }
      }
    });
    if (lastError !== undefined && !sent.some(Boolean)) throw lastError;
    return sent;
  }
}
