import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

async function postSignal(body: object): Promise<string> {
  const response = await stack.post(body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
}

describe('exactly-once counting', () => {
  it('counts a redelivered SQS message once', async () => {
    await stack.command('pause-consumer');
    try {
      await postSignal({ observedAt: '2021-04-01', municipality: 'GM0088', form: 'seksueel' });
      const [message] = await stack.peek(stack.ready.queues.signals);
      expect(message).toBeDefined();
      // The same message body delivered a second time, as SQS's at-least-once delivery may do.
      await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.ready.queues.signals, MessageBody: message!.Body! }));
    } finally {
      await stack.command('resume-consumer');
    }
    await stack.settle();
    expect((await stack.statistics('year=2021&municipality=GM0088')).total).toBe(1);
    expect((await stack.scan('meldroute-signals')).filter((s) => s.municipality === 'GM0088')).toHaveLength(1);
  });

  it('counts nothing twice when the whole stream is replayed', async () => {
    await postSignal({ observedAt: '2021-05-01', municipality: 'GM0093', form: 'arbeid' });
    await postSignal({ observedAt: '2021-05-02', municipality: 'GM0093', form: 'crimineel' });
    await stack.settle();
    const before = await stack.statistics('year=2021');
    const stored = (await stack.scan('meldroute-signals')).length;
    await stack.command('replay-stream');
    // Every stream record reaches the aggregator again and is recognised as already applied.
    const replayed = () => (stack.logs.match(/"outcome":"already-applied"/g) ?? []).length;
    const deadline = Date.now() + 10_000;
    while (replayed() < stored && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(replayed()).toBeGreaterThanOrEqual(stored);
    const after = await stack.statistics('year=2021');
    expect({ ...after, generatedAt: null }).toEqual({ ...before, generatedAt: null });
    expect(after.byMunicipality.GM0093).toBe(2);
  });

  it('moves the counts of a corrected signal: form, municipality, and withdrawal', async () => {
    const signalId = await postSignal({ observedAt: '2020-06-01', municipality: 'GM0096', form: 'onbekend' });
    await stack.waitForStatistics('year=2020', (s) => s.byForm.onbekend === 1);

    await stack.updateSignal(signalId, { form: 'arbeid' });
    let stats = await stack.waitForStatistics('year=2020', (s) => s.byForm.arbeid === 1);
    expect(stats).toMatchObject({ total: 1, byForm: { onbekend: 0, arbeid: 1 } });

    await stack.updateSignal(signalId, { municipality: 'GM0060' });
    stats = await stack.waitForStatistics('year=2020', (s) => s.byMunicipality.GM0060 === 1);
    expect(stats.byMunicipality.GM0096).toBe(0);

    await stack.updateSignal(signalId, { status: 'ingetrokken' });
    stats = await stack.waitForStatistics('year=2020', (s) => s.total === 0);
    expect(stats.byForm.arbeid).toBe(0);
  });
});

describe('a message that keeps failing', () => {
  it('ends in the dead-letter queue after five receives and is not counted', { timeout: 90_000 }, async () => {
    const before = await stack.statistics('year=2019');
    const poison = JSON.stringify({ schemaVersion: 1, signalId: 'not-a-uuid', observedAt: '2019-01-01', municipality: 'GM0014', form: 'arbeid' });
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.ready.queues.signals, MessageBody: poison }));

    // Four waits of the local visibility timeout (5 s) between the receives.
    const deadline = Date.now() + 60_000;
    let dead: Awaited<ReturnType<typeof stack.peek>> = [];
    while (Date.now() < deadline && dead.length === 0) {
      dead = await stack.peek(stack.ready.queues.signalsDeadLetter);
      if (!dead.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(dead.map((m) => m.Body)).toEqual([poison]);
    expect((stack.logs.match(/"message":"message not stored"/g) ?? []).length).toBe(5);
    // The consumer saw each receive counted, as Lambda's SQS events report it.
    expect(stack.logs).toMatch(/"message":"message not stored"[^\n]*"receiveCount":"5"/);
    await stack.settle();
    expect(await stack.statistics('year=2019')).toMatchObject({ total: before.total });
  });
});
