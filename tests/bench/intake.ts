/**
 * npm run bench:intake — latency of POST /v1/signals at 1, 10 and 50 concurrent clients, beside a bare
 * SQS SendMessage to the same local emulator (the floor of the local path), each level with the consumer
 * waiting until it is measured (then everything sent is stored and counted before the next), and the
 * end-to-end freshness from 202 to visible in the statistics with everything running. Runs the stack as
 * `npm start` does, in a child process.
 */
import { availableParallelism } from 'node:os';
import { CreateQueueCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { TestStack } from '../integration/support/local-stack.js';
import { CpuMeter, type CpuShares, dynamoDbLocalPid } from './cpu-time.js';

const SIGNALS_PER_LEVEL = Number(process.env.BENCH_SIGNALS ?? 2_000);
const FRESHNESS_SAMPLES = Number(process.env.BENCH_FRESHNESS_SAMPLES ?? 200);
const LEVELS = [1, 10, 50];
/** Each level's POSTs and SendMessages are measured in this many alternating rounds. */
const ROUNDS = 4;

const municipalities = ['GM0114', 'GM0106', 'GM0014', 'GM0080', 'GM1900', 'onbekend'];
const forms = ['seksueel', 'arbeid', 'crimineel', 'onbekend'];
/** A BSN of its own for signal i: eight digits from i and the ninth that makes the elfproef hold. */
function bsnOf(i: number): string {
  for (let n = i * 7 + 12_345_678; ; n++) {
    const digits = String(n).padStart(8, '0').slice(-8);
    const sum = [...digits].reduce((total, d, k) => total + Number(d) * (9 - k), 0);
    if (sum % 11 < 10) return `${digits}${sum % 11}`;
  }
}

// A person of their own per signal, as in real traffic: one person with thousands of signals would measure
// the linking of repeats (each new signal of a person reads that person's others), not the intake.
const signal = (i: number) => ({
  observedAt: `2025-${String((i % 12) + 1).padStart(2, '0')}-10`,
  municipality: municipalities[i % municipalities.length],
  province: i % municipalities.length === 5 ? 'GR' : undefined,
  form: forms[i % forms.length],
  subject: { name: `Persoon ${i}`, dateOfBirth: '1990-01-01', bsn: bsnOf(i), phone: `06${String(10_000_000 + i).slice(-8)}` },
  description: 'Werkt lange dagen in de kassen en woont op het terrein. '.repeat(4),
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `total` operations with `concurrency` workers; returns each one's latency in ms. */
async function run(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const start = performance.now();
        await op(i);
        latencies.push(performance.now() - start);
      }
    }),
  );
  return latencies.sort((a, b) => a - b);
}

const fmt = (n: number) => n.toFixed(2).padStart(8);

/**
 * What each request cost the machine: the client (this process), the runner and DynamoDB Local share the
 * cores, so where they are all busy the rates compare as the inverse of these totals ("CPU allows").
 */
function printCpu(rows: Array<{ concurrency: number; post?: CpuShares; floor?: CpuShares }>): void {
  if (rows.some((r) => !r.post || !r.floor)) return void console.log('\n(CPU per request: needs /proc, so Linux)');
  const ms = (n: number) => n.toFixed(2).padStart(6);
  const cells = (c: CpuShares) => `${ms(c.client)} ${ms(c.runner)} ${ms(c.dynamoDb)} ${ms(c.total)}`;
  console.log(`\nCPU per request (ms): client, runner, DynamoDB Local, together; on ${availableParallelism()} cores\n`);
  console.log('clients   POST:  client runner  ddb  total   SendMessage: client runner  ddb  total   CPU allows');
  for (const { concurrency, post, floor } of rows) {
    console.log(
      `${String(concurrency).padStart(7)}   ${cells(post!)}                ${cells(floor!)}   ${`${((100 * floor!.total) / post!.total).toFixed(0)} %`.padStart(9)}`,
    );
  }
}

// The public release is made every minute here, in the runner's process, from all the counts: a minute's
// release falling in one side of a level would weigh on that side only. On AWS it runs once a day, on its own.
const stack = await TestStack.start({ env: { LOCAL_RELEASE_SCHEDULE_SECONDS: '86400' } });
const pids = { runner: stack.pid, dynamoDb: dynamoDbLocalPid(stack.dataDir) };
const cpuRows: Array<{ concurrency: number; post?: CpuShares; floor?: CpuShares }> = [];
try {
  const { QueueUrl: floorQueue } = await stack.sqs.send(new CreateQueueCommand({ QueueName: 'meldroute-bench-floor' }));
  // The floor sends a message of the size the intake sends.
  const sample = (await stack.peek(stack.ready.queues.signals)).at(0)?.Body ?? JSON.stringify(signal(0)).padEnd(1_500);

  // Warm-up: cold starts and connection set-up are not what is measured.
  await run(50, 5, async (i) => void (await stack.post(signal(i))).arrayBuffer());

  console.log(`\nPOST /v1/signals vs bare SQS SendMessage, ${SIGNALS_PER_LEVEL} each per level in ${ROUNDS} alternating rounds (ms)\n`);
  console.log('clients   POST p50  POST p99   SQS p50   SQS p99  p50 diff  ratio p50  ratio p99  POST/s   SQS/s  POST/SQS');
  for (const concurrency of LEVELS) {
    // On AWS the consumer and the aggregator run on machines of their own; here they share the two cores
    // with the API and the emulator. So while a level is measured the consumer waits, and what the level
    // sent is stored, linked and counted after it (settle, below): the figures are the API's and the
    // queue's, not the pipeline's share of the machine.
    await stack.command('pause-consumer');
    let failures = 0;
    // In rounds, alternating which goes first: whatever else the machine does then (a collection of the
    // garbage the last level's storing left, DynamoDB Local settling after it) falls on both alike. Measured
    // one after the other, the first measured always paid for it (up to 0.4 ms of CPU a request).
    const perRound = Math.ceil(SIGNALS_PER_LEVEL / ROUNDS);
    const postSide = { latencies: [] as number[], ms: 0, cpu: new CpuMeter(pids) };
    const floorSide = { latencies: [] as number[], ms: 0, cpu: new CpuMeter(pids) };
    const measure = async (side: typeof postSide, op: (i: number) => Promise<void>) => {
      const started = performance.now();
      side.latencies.push(...(await side.cpu.measure(() => run(perRound, concurrency, op))));
      side.ms += performance.now() - started;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const posts = () =>
        measure(postSide, async (i) => {
          const response = await stack.post(signal(round * perRound + i));
          await response.arrayBuffer();
          if (response.status !== 202) failures++;
        });
      const floors = () =>
        measure(floorSide, async () => {
          await stack.sqs.send(new SendMessageCommand({ QueueUrl: floorQueue, MessageBody: sample }));
        });
      if (round % 2 === 0) await posts().then(floors);
      else await floors().then(posts);
    }
    const sent = perRound * ROUNDS;
    const post = postSide.latencies.sort((a, b) => a - b);
    const floor = floorSide.latencies.sort((a, b) => a - b);
    const throughput = sent / (postSide.ms / 1000);
    const floorThroughput = sent / (floorSide.ms / 1000);
    cpuRows.push({ concurrency, post: postSide.cpu.perOperation(sent), floor: floorSide.cpu.perOperation(sent) });
    const [p50, p99, f50, f99] = [percentile(post, 50), percentile(post, 99), percentile(floor, 50), percentile(floor, 99)];
    console.log(
      `${String(concurrency).padStart(7)}  ${fmt(p50)}  ${fmt(p99)}  ${fmt(f50)}  ${fmt(f99)}  ${fmt(p50 - f50)}  ${fmt(p50 / f50)}x ${fmt(p99 / f99)}x ${throughput.toFixed(0).padStart(7)} ${floorThroughput.toFixed(0).padStart(7)} ${`${((100 * throughput) / floorThroughput).toFixed(0)} %`.padStart(9)}${failures ? `  (${failures} not 202)` : ''}`,
    );
    await stack.command('resume-consumer');
    await stack.settle(120_000);
  }
  printCpu(cpuRows);

  // Freshness: one signal at a time, from its 202 to the moment the statistics count it.
  const freshness: number[] = [];
  let total = (await stack.statistics('year=2024')).total as number;
  for (let i = 0; i < FRESHNESS_SAMPLES; i++) {
    const response = await stack.post({ ...signal(i), observedAt: '2024-06-01' });
    await response.arrayBuffer();
    const accepted = performance.now();
    await stack.waitForStatistics('year=2024', (s) => s.total === total + 1, 30_000);
    freshness.push(performance.now() - accepted);
    total++;
  }
  freshness.sort((a, b) => a - b);
  const counted = (await stack.statistics('year=2025')).total;
  console.log(`\nFreshness, 202 to visible in GET /v1/statistics, ${FRESHNESS_SAMPLES} signals (ms)`);
  console.log(`  median ${fmt(percentile(freshness, 50))}   p95 ${fmt(percentile(freshness, 95))}   max ${fmt(freshness.at(-1)!)}`);
  console.log(`\nCounted exactly: ${counted} of ${Math.ceil(SIGNALS_PER_LEVEL / ROUNDS) * ROUNDS * LEVELS.length + 50} signals posted for 2025\n`);
} finally {
  await stack.stop();
}
