/**
 * npm run bench:statistics — latency and bytes of a GET /v1/statistics answer and of its 304, with 100
 * stored signals and again with BENCH_LARGE (default 100 000), measured in one run against the local
 * stack as `npm start` runs it. The read is pre-aggregated, so the larger must stay within 1.2 times the
 * smaller. The extra signals are written straight into the signals table in batches (as stored signals,
 * pseudonymised fields left out) and counted by the real stream and aggregator, not by the bench.
 */
import { BatchWriteItemCommand, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { TestStack } from '../integration/support/local-stack.js';

const SMALL = 100;
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const GOAL = 1.2;
const YEAR = 2019;

const municipalities = ['GM0114', 'GM0106', 'GM0014', 'GM0080', 'GM1900', 'GM0118'];
const forms = ['seksueel', 'arbeid', 'crimineel', 'onbekend'];
const provinceOf: Record<string, string> = { GM0114: 'DR', GM0106: 'DR', GM0118: 'DR', GM0014: 'GR', GM0080: 'FR', GM1900: 'FR' };

function storedSignal(i: number) {
  const municipality = municipalities[i % municipalities.length]!;
  return {
    schemaVersion: 1,
    signalId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    receivedAt: `${YEAR}-06-01T10:00:00.000Z`,
    organisation: 'Bench',
    sourceType: 'gemeente',
    channel: 'api',
    region: 'noord-nederland',
    observedAt: `${YEAR}-${String((i % 12) + 1).padStart(2, '0')}-10`,
    municipality,
    province: provinceOf[municipality],
    form: forms[i % forms.length],
    signalType: 'melding',
    status: 'ontvangen',
    version: 1,
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(stack: TestStack) {
  const url = `${stack.ready.apiUrl}/v1/statistics?year=${YEAR}&cross=municipality,form`;
  const headers = { 'x-api-key': stack.key('statistics:read') };
  const first = await fetch(url, { headers });
  const body = await first.arrayBuffer();
  const etag = first.headers.get('etag') ?? '';
  const total = (JSON.parse(Buffer.from(body).toString('utf8')) as { total: number }).total;
  const answers: number[] = [];
  const notModified: number[] = [];
  let notModifiedBytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    let start = performance.now();
    await (await fetch(url, { headers })).arrayBuffer();
    answers.push(performance.now() - start);
    start = performance.now();
    const response = await fetch(url, { headers: { ...headers, 'if-none-match': etag } });
    notModifiedBytes = (await response.arrayBuffer()).byteLength;
    notModified.push(performance.now() - start);
    if (response.status !== 304) throw new Error(`expected 304, got ${response.status}`);
  }
  answers.sort((a, b) => a - b);
  notModified.sort((a, b) => a - b);
  return {
    total,
    bytes: body.byteLength,
    p50: percentile(answers, 50),
    p99: percentile(answers, 99),
    n50: percentile(notModified, 50),
    n99: percentile(notModified, 99),
    notModifiedBytes,
  };
}

const stack = await TestStack.start();
try {
  for (let i = 0; i < SMALL; i++) {
    const response = await stack.post({ observedAt: storedSignal(i).observedAt, municipality: storedSignal(i).municipality, form: storedSignal(i).form });
    if (response.status !== 202) throw new Error(`POST answered ${response.status}`);
  }
  await stack.settle(60_000);
  const small = await measure(stack);

  const started = performance.now();
  for (let from = SMALL; from < LARGE; from += 25) {
    const requests: WriteRequest[] = [];
    for (let i = from; i < Math.min(from + 25, LARGE); i++) requests.push({ PutRequest: { Item: marshall(storedSignal(i)) } });
    let pending: Record<string, WriteRequest[]> | undefined = { 'meldroute-signals': requests };
    while (pending && Object.keys(pending).length > 0) {
      pending = (await stack.dynamo.send(new BatchWriteItemCommand({ RequestItems: pending }))).UnprocessedItems;
    }
  }
  console.error(`wrote ${LARGE - SMALL} signals in ${((performance.now() - started) / 1000).toFixed(0)} s; waiting for the aggregator`);
  await stack.settle(60 * 60_000);
  console.error(`counted after ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const large = await measure(stack);

  const row = (name: string, m: typeof small) =>
    `${name.padEnd(16)} ${String(m.total).padStart(8)} ${m.p50.toFixed(2).padStart(9)} ${m.p99.toFixed(2).padStart(9)} ${String(m.bytes).padStart(8)} ${m.n50.toFixed(2).padStart(9)} ${m.n99.toFixed(2).padStart(9)} ${String(m.notModifiedBytes).padStart(6)}`;
  console.log(`\nGET /v1/statistics?year=${YEAR}&cross=municipality,form, ${SAMPLES} samples each (ms, bytes)\n`);
  console.log('stored signals     total  200 p50   200 p99    bytes   304 p50   304 p99  bytes');
  console.log(row(String(SMALL), small));
  console.log(row(String(LARGE), large));
  const ratio = large.p50 / small.p50;
  const bytesRatio = large.bytes / small.bytes;
  console.log(
    `\nlarger/smaller: p50 ${ratio.toFixed(2)}x, bytes ${bytesRatio.toFixed(2)}x, 304 p50 ${(large.n50 / small.n50).toFixed(2)}x (goal: within ${GOAL}x)`,
  );
  if (large.total !== LARGE) console.log(`NOT EXACT: counted ${large.total} of ${LARGE}`);
  process.exitCode = ratio <= GOAL && bytesRatio <= GOAL && large.total === LARGE ? 0 : 1;
} finally {
  await stack.stop();
}
