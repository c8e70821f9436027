/**
 * npm run bench:statistics — latency and bytes of a statistics answer and of its 304, at 100 and at
 * 100 000 stored signals (BENCH_SMALL, BENCH_LARGE), measured in one run: the read is pre-aggregated, so the
 * larger must stay within 1.2 times the smaller. Each size has a local stack of its own, as `npm start`
 * runs it, both up at once; after a warm-up the samples alternate between them (which goes first changes
 * each round), so that neither has the cold start or a busier moment of the machine to itself.
 *
 * How the stores are filled (the same way at both sizes): all but 20 signals are seeded, the last 20 go
 * through the pipeline (POST, queue, consumer, stream, aggregator). Counting 100 000 signals one by one
 * through the local aggregator (some 57 a second: each rewrites ~55 KB counter items in a transaction)
 * would take half an hour, so seeding does what the aggregator would have done, at once:
 * - the records are made by the intake's own code (statistics-signals.ts): realistic inputs over five
 *   years, the region's municipalities, forms, months, sources and channels, pseudonymised and encrypted
 *   as the intake does, stored as the consumer stores them, moved along by the casework (statuses,
 *   decisions with routes, withdrawals), each parsed as the aggregator parses it;
 * - their counts come from the aggregator's own functions (contributionOf, counterDeltas) and the item
 *   layout from the adapter's (FirstCountLoad: applied items, counter items, change counters), each item
 *   written once with BatchWriteItem; statistics-seed.test.ts holds these items equal, item for item, to
 *   what the adapter's transactions leave when aggregateSignal counts the same signals one by one;
 * - every seeded signal still goes down the stream to the real aggregator, which finds it applied and
 *   changes nothing (outcome `already-applied`, as for a replay); the benchmark fails if it counts one;
 * - after seeding, the answer for the measured year must equal a count made straight from the records
 *   (every table, the cross table included), and again after the 20 live signals are counted on top;
 *   any difference fails the benchmark.
 * The public route is measured on the release the runner's schedule makes (PUBLIC_RELEASE_INTERVAL=0).
 */
import { DynamoDbReleaseStore } from '#adapters/dynamodb/release-store.js';
import { buildSignalRecord } from '#domain/intake/index.js';
import { geography } from '#domain/kernel/index.js';
import { SignalInputSchema, type StoredSignal } from '#domain/signal/index.js';
import { tables } from '../../infra/resources.js';
import { TestStack } from '../integration/support/local-stack.js';
import { testKey } from '../support/in-memory-ports.js';
import { countDirectly, differences, seedStore } from './statistics-seed.js';
import { benchSignals, benchYears, storedSignalOf } from './statistics-signals.js';

const SMALL = Number(process.env.BENCH_SMALL ?? 100);
const LARGE = Number(process.env.BENCH_LARGE ?? 100_000);
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 300);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 50);
/** Signals sent through the pipeline on top of the seeded ones. */
const LIVE = 20;
const GOAL = 1.2;
const CHUNK = 1_000;
const REGION = geography.defaultRegion;
const YEARS = benchYears();
/** The last whole year. */
const YEAR = YEARS.at(-2)!;
const STACK_ENV = { PUBLIC_RELEASE_INTERVAL: '0', LOCAL_RELEASE_SCHEDULE_SECONDS: '2' };

const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const count = (n: number) => n.toLocaleString('nl-NL');
const log = (line: string) => console.error(line);

/** What the aggregator said about each stream record, read from the runner's log as it grows. */
class AggregatorLog {
  private read = 0;
  readonly outcomes = new Map<string, number>();
  /** The signals counted (not found applied): a live one may be counted more than once, as its version rises. */
  readonly countedSignals = new Set<string>();
  failures = 0;

  constructor(private readonly stack: TestStack) {}

  /** Lines of the aggregator heard so far: when it stops growing, the stream has been read. */
  get heard(): number {
    let n = 0;
    for (const value of this.outcomes.values()) n += value;
    return n;
  }

  update(): this {
    const end = this.stack.logs.lastIndexOf('\n') + 1;
    const text = this.stack.logs.slice(this.read, end);
    this.read = Math.max(this.read, end);
    for (const [line, outcome] of text.matchAll(/"message":"signal aggregated"[^\n]*"outcome":"([a-z-]+)"/g)) {
      this.outcomes.set(outcome!, (this.outcomes.get(outcome!) ?? 0) + 1);
      const signalId = /"signalId":"([^"]+)"/.exec(line)?.[1];
      if (outcome === 'counted' && signalId) this.countedSignals.add(signalId);
    }
    this.failures += (text.match(/"message":"signal not counted/g) ?? []).length;
    return this;
  }

  get(outcome: string): number {
    return this.outcomes.get(outcome) ?? 0;
  }
}

interface Store {
  size: number;
  stack: TestStack;
  notes: string[];
}

/** Fails the benchmark, loudly, when an answer differs from the count made straight from the records. */
async function expectExact(stack: TestStack, records: readonly StoredSignal[], when: string): Promise<number> {
  const answer = await stack.statistics(`year=${YEAR}&cross=municipality,form`);
  const found = differences(answer, countDirectly(records, YEAR));
  const period = await stack.statistics(`from=${YEARS[0]}&to=${YEARS.at(-1)}`);
  for (const year of YEARS) {
    const counted = countDirectly(records, year).total;
    if (period.byYear[year] !== counted) found.push(`byYear.${year}: answered ${period.byYear[year]}, counted ${counted}`);
  }
  if (found.length > 0) throw new Error(`NOT EXACT ${when}: ${found.length} differences, first ${found.slice(0, 10).join('; ')}`);
  return answer.total as number;
}

async function waitFor(what: string, done: () => Promise<boolean> | boolean, timeoutMs: number, progress?: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let reported = Date.now();
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${progress ? `: ${progress()}` : ''}`);
    if (progress && Date.now() - reported > 15_000) {
      log(`  … ${progress()}`);
      reported = Date.now();
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Seeds the store with all but LIVE signals, checks it, sends LIVE through the pipeline, checks again, waits for the release. */
async function fill(stack: TestStack, size: number, seed: number): Promise<Store> {
  const notes: string[] = [];
  const aggregator = new AggregatorLog(stack);
  const seeded: StoredSignal[] = [];
  const started = performance.now();
  async function* chunks() {
    let chunk: Promise<StoredSignal>[] = [];
    const made = async () => {
      const records = await Promise.all(chunk);
      seeded.push(...records);
      chunk = [];
      return records;
    };
    for (const signal of benchSignals(size - LIVE, seed)) {
      chunk.push(storedSignalOf(signal));
      if (chunk.length === CHUNK) yield await made();
    }
    if (chunk.length > 0) yield await made();
  }
  const { signals, counterItems } = await seedStore(stack.dynamo, chunks());
  const seedMs = performance.now() - started;
  notes.push(
    `seeded ${count(signals)} signals (made by the intake's code, counted by the aggregator's functions) and ${count(signals + counterItems)} statistics items in ${seconds(seedMs)}`,
  );
  const seededTotal = await expectExact(stack, seeded, 'after seeding');
  notes.push(`seeding exact: the ${YEAR} answer (${count(seededTotal)} signals) equals the count from the records, table for table`);

  // The live path on top: the local partner key, as any partner sends.
  const partner = stack.ready.credentials.keys.find((k) => k.scopes.includes('signals:write'))!;
  const live: StoredSignal[] = [];
  for (const signal of benchSignals(LIVE, seed + 1, { year: YEAR })) {
    const body = { ...signal.body };
    const response = await stack.post(body);
    if (response.status !== 202) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
    const { signalId } = (await response.json()) as { signalId: string };
    const principal = { organisation: partner.organisation, sourceType: partner.sourceType, scopes: partner.scopes, region: REGION };
    // What the intake stores for it, for the direct count (the description's encryption aside).
    const { description: _text, ...input } = SignalInputSchema.parse(body);
    live.push({ ...buildSignalRecord({ input, principal, channel: 'api' }, signalId, testKey, new Date()), version: 1 });
  }
  const sent = performance.now();
  // Done when the live signals show and the aggregator has been quiet for a while: measuring beside the
  // stream's pass would measure the pass.
  let heard = 0;
  let quietSince = performance.now();
  let countedAt = 0;
  await waitFor(
    'the aggregator',
    async () => {
      aggregator.update();
      if (aggregator.failures > 0) throw new Error(`the aggregator could not count ${aggregator.failures} records`);
      if (aggregator.heard !== heard) [heard, quietSince] = [aggregator.heard, performance.now()];
      if (performance.now() - quietSince < 5_000) return false;
      if ((await stack.statistics(`year=${YEAR}`)).total !== seededTotal + LIVE) return false;
      countedAt = quietSince;
      return true;
    },
    30 * 60_000,
    () =>
      `the stream has brought ${count(aggregator.get('already-applied'))} of ${count(signals)} seeded signals (each found applied) and ${aggregator.get('counted')} of ${LIVE} live ones`,
  );
  const liveIds = new Set(live.map((s) => s.signalId));
  const recounted = [...aggregator.countedSignals].filter((id) => !liveIds.has(id));
  if (recounted.length > 0) throw new Error(`the aggregator counted ${recounted.length} seeded signals again`);
  const applied = aggregator.get('already-applied');
  notes.push(
    `the stream's pass: the aggregator read the ${count(signals)} seeded signals and found them applied (${count(applied)} already-applied in its log${applied < signals ? ', some lines unread' : ''}; none counted again), done ${seconds(countedAt - started)} after seeding began`,
  );
  const liveTotal = await expectExact(stack, [...seeded, ...live], `after ${LIVE} live signals`);
  if (liveTotal !== seededTotal + LIVE) throw new Error(`the live signals were not counted: ${seededTotal} + ${LIVE} ≠ ${liveTotal}`);
  notes.push(
    `${LIVE} live signals through the pipeline, sent ${seconds(sent - started)} after seeding began and counted on top: ${YEAR} ${count(seededTotal)} → ${count(liveTotal)}, exact`,
  );

  // The public route serves the release; the schedule makes one once it sees the change counter move.
  const releases = new DynamoDbReleaseStore(stack.dynamo, tables.statistics.name, true);
  await waitFor(
    'the public release',
    async () => (await releases.latest(REGION))?.changesAtRelease === (await releases.changeCounter(REGION)).changes,
    120_000,
  );
  notes.push(`public release made, of every signal counted`);
  return { size, stack, notes };
}

interface Route {
  name: string;
  path: string;
  keyed: boolean;
}

interface Reference {
  etag: string;
  bytes: number;
  total: number | null;
}

interface Measured extends Reference {
  ok: number[];
  notModified: number[];
  notModifiedBytes: number;
}

async function timed(url: string, headers: Record<string, string>) {
  const start = performance.now();
  const response = await fetch(url, { headers });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - start, status: response.status, etag: response.headers.get('etag') ?? '', body };
}

const percentile = (values: readonly number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Warm-up rounds, then SAMPLES rounds; in each, every route's 200 and 304 on both stores, alternating which goes first. */
async function measure(stores: readonly Store[], routes: readonly Route[]): Promise<Map<string, Measured>> {
  const results = new Map<string, Measured>();
  const keyOf = (store: Store, route: Route) => `${store.size}|${route.name}`;
  const headersOf = (store: Store, route: Route): Record<string, string> => (route.keyed ? { 'x-api-key': store.stack.key('statistics:read') } : {});
  for (const store of stores) {
    for (const route of routes) {
      const first = await timed(`${store.stack.ready.apiUrl}${route.path}`, headersOf(store, route));
      if (first.status !== 200) throw new Error(`${route.path} answered ${first.status}: ${Buffer.from(first.body).toString('utf8').slice(0, 300)}`);
      const total = (JSON.parse(Buffer.from(first.body).toString('utf8')) as { total?: number | null }).total ?? null;
      results.set(keyOf(store, route), { etag: first.etag, bytes: first.body.byteLength, total, ok: [], notModified: [], notModifiedBytes: 0 });
    }
  }
  for (let round = 0; round < WARMUP + SAMPLES; round++) {
    const order = round % 2 === 0 ? stores : [...stores].reverse();
    for (const route of routes) {
      for (const store of order) {
        const result = results.get(keyOf(store, route))!;
        const answer = await timed(`${store.stack.ready.apiUrl}${route.path}`, headersOf(store, route));
        if (answer.status !== 200 || answer.etag !== result.etag)
          throw new Error(`${route.path} at ${store.size}: ${answer.status}, ETag ${answer.etag}: the figures changed`);
        if (round >= WARMUP) result.ok.push(answer.ms);
      }
      for (const store of order) {
        const result = results.get(keyOf(store, route))!;
        const answer = await timed(`${store.stack.ready.apiUrl}${route.path}`, { ...headersOf(store, route), 'if-none-match': result.etag });
        if (answer.status !== 304) throw new Error(`${route.path} at ${store.size} with If-None-Match: ${answer.status}, not 304`);
        result.notModifiedBytes = answer.body.byteLength;
        if (round >= WARMUP) result.notModified.push(answer.ms);
      }
    }
  }
  return results;
}

const stacks: TestStack[] = [];
let largeStarting: Promise<TestStack> | undefined;
try {
  const began = performance.now();
  log(`starting two local stacks: ${count(SMALL)} and ${count(LARGE)} stored signals`);
  const small = await TestStack.start({ env: STACK_ENV });
  stacks.push(small);
  // The larger starts while the smaller fills (after the smaller has built the site both serve).
  largeStarting = TestStack.start({ env: STACK_ENV });
  const smallStore = await fill(small, SMALL, 100);
  log(`${count(SMALL)}: ${smallStore.notes.join('\n  ')}`);
  const large = await largeStarting;
  stacks.push(large);
  const largeStore = await fill(large, LARGE, 100);
  log(`${count(LARGE)}: ${largeStore.notes.join('\n  ')}`);

  const routes: Route[] = [
    { name: 'exact, one year', path: `/v1/statistics?year=${YEAR}&cross=municipality,form`, keyed: true },
    { name: `exact, ${YEARS.length} years`, path: `/v1/statistics?from=${YEARS[0]}&to=${YEARS.at(-1)}&cross=year,form`, keyed: true },
    { name: 'public, one year', path: `/v1/public/statistics?year=${YEAR}&cross=municipality,form`, keyed: false },
  ];
  const measuring = performance.now();
  const results = await measure([smallStore, largeStore], routes);

  const misses: string[] = [];
  console.log(`\nStored signals: ${count(SMALL)} and ${count(LARGE)}, each size on a local stack of its own, ${LIVE} of them sent live.`);
  for (const store of [smallStore, largeStore]) console.log(`\n${count(store.size)}:\n  ${store.notes.join('\n  ')}`);
  console.log(`\n${SAMPLES} samples per size, route and status after ${WARMUP} warm-up rounds, interleaved (ms; body bytes)`);
  for (const route of routes) {
    const [s, l] = [smallStore, largeStore].map((store) => results.get(`${store.size}|${route.name}`)!) as [Measured, Measured];
    console.log(`\nGET ${route.path} (${route.name})`);
    console.log('stored signals     total  200 p50  200 p99    bytes  304 p50  304 p99  bytes');
    for (const [size, m] of [
      [SMALL, s],
      [LARGE, l],
    ] as const) {
      console.log(
        `${count(size).padStart(14)} ${String(m.total === null ? '–' : count(m.total)).padStart(9)} ${percentile(m.ok, 50).toFixed(2).padStart(8)} ${percentile(m.ok, 99).toFixed(2).padStart(8)} ${String(m.bytes).padStart(8)} ${percentile(m.notModified, 50).toFixed(2).padStart(8)} ${percentile(m.notModified, 99).toFixed(2).padStart(8)} ${String(m.notModifiedBytes).padStart(6)}`,
      );
    }
    const ratios = {
      '200 p50': percentile(l.ok, 50) / percentile(s.ok, 50),
      '200 p99': percentile(l.ok, 99) / percentile(s.ok, 99),
      bytes: l.bytes / s.bytes,
      '304 p50': percentile(l.notModified, 50) / percentile(s.notModified, 50),
      '304 p99': percentile(l.notModified, 99) / percentile(s.notModified, 99),
    };
    console.log(
      `larger/smaller: ${Object.entries(ratios)
        .map(([name, ratio]) => `${name} ${ratio.toFixed(2)}x`)
        .join(', ')}`,
    );
    // The goal holds for the medians and the bytes; the 99th percentiles are shown, not judged (a few samples decide them).
    for (const name of ['200 p50', 'bytes', '304 p50'] as const) if (ratios[name] > GOAL) misses.push(`${route.name} ${name} ${ratios[name].toFixed(2)}x`);
  }
  console.log(`\nmeasuring took ${seconds(performance.now() - measuring)}; the whole run ${seconds(performance.now() - began)}`);
  console.log(misses.length === 0 ? `goal met: every median and body within ${GOAL}x` : `GOAL MISSED (within ${GOAL}x): ${misses.join('; ')}`);
  process.exitCode = misses.length === 0 ? 0 : 1;
} finally {
  const large = await largeStarting?.catch(() => undefined);
  if (large && !stacks.includes(large)) stacks.push(large);
  for (const stack of stacks) await stack.stop();
}
