import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * A 202 is a promise: a signal answered 202 is stored and counted exactly once, however the runner stops
 * right after. Eight clients send signals; the runner is stopped under that load and started again on
 * the same data.
 */
let stack: TestStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/** Eight clients posting signals of one year as fast as they are answered, until told to stop. */
function load(target: TestStack, year: number) {
  const accepted = new Set<string>();
  const answers = new Map<string, number>();
  let stopped = false;
  let sent = 0;
  const clients = Array.from({ length: 8 }, async (_, client) => {
    while (!stopped) {
      const n = sent++;
      try {
        const response = await target.post({
          observedAt: `${year}-0${(n % 9) + 1}-15`,
          municipality: 'GM0114',
          form: 'arbeid',
          externalId: `CRASH-${client}-${n}`,
        });
        const answer = `${response.status}${response.status === 503 && response.headers.get('retry-after') ? ' with Retry-After' : ''}`;
        answers.set(answer, (answers.get(answer) ?? 0) + 1);
        if (response.status === 202) accepted.add(((await response.json()) as { signalId: string }).signalId);
        else await response.arrayBuffer();
      } catch {
        // The runner is gone: this request got no answer, so nothing was promised.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  });
  return {
    accepted,
    answers,
    stop: async () => {
      stopped = true;
      await Promise.all(clients);
    },
  };
}

async function expectEveryAcceptedStoredAndCountedOnce(restarted: TestStack, accepted: Set<string>, year: number) {
  await restarted.settle(60_000);
  const stored = (await restarted.scan('meldroute-signals')).filter((s) => String(s.observedAt).startsWith(`${year}-`));
  const storedIds = new Set(stored.map((s) => s.signalId as string));
  if ([...accepted].some((id) => !storedIds.has(id))) {
    const missing = [...accepted].filter((id) => !storedIds.has(id));
    const dead = await restarted.peek(restarted.ready.queues.signalsDeadLetter);
    console.log(`${dead.length} messages on the dead-letter queue`);
    console.log(
      restarted.logs
        .split('\n')
        .filter((l) => /put back|DynamoDB Local|journal/i.test(l) || missing.some((id) => l.includes(id)))
        .join('\n'),
    );
  }
  expect([...accepted].filter((id) => !storedIds.has(id))).toEqual([]);
  // Requests in flight at the stop may have been stored without their 202 reaching the client: counted, never twice.
  const statistics = await restarted.statistics(`year=${year}`);
  expect(statistics.total).toBe(stored.length);
  expect(stored.length).toBeGreaterThanOrEqual(accepted.size);
}

describe('a runner stopped under load from 8 clients', () => {
  it('kill -9: every signal answered 202 is stored and counted exactly once after a restart', async () => {
    stack = await TestStack.start({ inMemory: false });
    const { dataDir } = stack;
    const traffic = load(stack, 2012);
    await new Promise((r) => setTimeout(r, 3_000));
    await stack.killHard();
    await traffic.stop();
    expect(traffic.accepted.size).toBeGreaterThan(20);

    stack = await TestStack.start({ inMemory: false, dataDir });
    await expectEveryAcceptedStoredAndCountedOnce(stack, traffic.accepted, 2012);
  });

  it('Ctrl-C (SIGINT): every signal answered 202 is stored and counted exactly once after a restart', async () => {
    stack = await TestStack.start({ inMemory: false });
    const { dataDir } = stack;
    const traffic = load(stack, 2013);
    await new Promise((r) => setTimeout(r, 3_000));
    await stack.interrupt();
    await traffic.stop();
    expect(traffic.accepted.size).toBeGreaterThan(20);

    stack = await TestStack.start({ inMemory: false, dataDir });
    await expectEveryAcceptedStoredAndCountedOnce(stack, traffic.accepted, 2013);
  });
});

describe('a stalled database under load from 8 clients', () => {
  it('answers only 202 or 503 with Retry-After while DynamoDB Local is stopped (SIGSTOP) for 5 s, and counts every 202', async () => {
    stack = await TestStack.start({ inMemory: false });
    const { pid } = JSON.parse(readFileSync(join(stack.dataDir, 'dynamodb-local.pid'), 'utf8')) as { pid: number };
    const traffic = load(stack, 2014);
    await new Promise((r) => setTimeout(r, 1_000));
    process.kill(pid, 'SIGSTOP');
    try {
      await new Promise((r) => setTimeout(r, 5_000));
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await new Promise((r) => setTimeout(r, 2_000));
    await traffic.stop();

    expect([...traffic.answers.keys()].sort()).toEqual(expect.arrayContaining(['202']));
    for (const answer of traffic.answers.keys()) expect(['202', '503 with Retry-After']).toContain(answer);
    await expectEveryAcceptedStoredAndCountedOnce(stack, traffic.accepted, 2014);
  });
});
