/**
 * npm run bench:bulk — 10 000 signals (BENCH_BULK_SIGNALS) taken in three ways, one after the other on one
 * local stack as `npm start` runs it: as single POSTs from 50 clients (the baseline), through the batch
 * API (500 a request, 4 requests at a time) and through `npm run import` of a CSV file. For each: how
 * long until every signal was acknowledged (and so signals a second), and how long until the statistics
 * count them all. Each way has a year of its own, so each count is read apart; the next way starts once
 * the pipeline is idle again.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { TestStack } from '../integration/support/local-stack.js';

const SIGNALS = Number(process.env.BENCH_BULK_SIGNALS ?? 10_000);
const CLIENTS = 50;
const BATCH = 500;
const BATCHES_AT_ONCE = 4;
const root = resolve(import.meta.dirname, '../..');

const municipalities = ['GM0114', 'GM0106', 'GM0014', 'GM0080', 'GM1900', 'GM0109', 'GM0118', 'onbekend'];
const names: Record<string, string> = {
  GM0114: 'Emmen',
  GM0106: 'Assen',
  GM0014: 'Groningen',
  GM0080: 'Leeuwarden',
  GM1900: 'Súdwest-Fryslân',
  GM0109: 'Coevorden',
  GM0118: 'Hoogeveen',
  onbekend: 'onbekend',
};
const forms = ['seksueel', 'arbeid', 'crimineel', 'onbekend'];

/** Signal i of a way's year: spread over months, municipalities and forms, without a person (as most registers). */
const signal = (year: number, prefix: string, i: number) => ({
  externalId: `${prefix}-${i}`,
  observedAt: `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  municipality: municipalities[i % municipalities.length]!,
  ...(municipalities[i % municipalities.length] === 'onbekend' && { province: 'DR' }),
  form: forms[i % forms.length]!,
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function pool(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
}

/** Waits until the year's statistics count `expected` signals; the time it took from `since`. */
async function countedAfter(stack: TestStack, year: number, expected: number, since: number): Promise<number> {
  const deadline = Date.now() + 60 * 60_000;
  while (Date.now() < deadline) {
    const { total } = await stack.statistics(`year=${year}`);
    if (total === expected) return performance.now() - since;
    if (total > expected) throw new Error(`${year}: ${total} counted, more than the ${expected} sent`);
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${year}: not all ${expected} signals counted within the hour`);
}

interface Way {
  name: string;
  acknowledgedMs: number;
  countedMs: number;
}

async function singlePosts(stack: TestStack, year: number): Promise<Way> {
  const started = performance.now();
  await pool(SIGNALS, CLIENTS, async (i) => {
    for (;;) {
      const response = await stack.post(signal(year, 'BULK-SINGLE', i));
      await response.arrayBuffer();
      if (response.status === 202) return;
      if (response.status !== 503) throw new Error(`POST answered ${response.status}`);
    }
  });
  const acknowledgedMs = performance.now() - started;
  return { name: `single POSTs, ${CLIENTS} clients`, acknowledgedMs, countedMs: await countedAfter(stack, year, SIGNALS, started) };
}

async function batches(stack: TestStack, year: number): Promise<Way> {
  const started = performance.now();
  await pool(Math.ceil(SIGNALS / BATCH), BATCHES_AT_ONCE, async (b) => {
    let pending = Array.from({ length: Math.min(BATCH, SIGNALS - b * BATCH) }, (_, i) => signal(year, 'BULK-BATCH', b * BATCH + i));
    while (pending.length > 0) {
      const response = await stack.post({ signals: pending }, {}, '/v1/signals/batch');
      if (response.status === 503) {
        await response.arrayBuffer();
        continue;
      }
      if (response.status !== 207) throw new Error(`the batch answered ${response.status}: ${await response.text()}`);
      const { results } = (await response.json()) as { results: { index: number; status: string }[] };
      if (results.some((r) => r.status === 'invalid')) throw new Error('an item of the benchmark was invalid');
      // What failed is sent again: its externalId makes that safe.
      pending = results.filter((r) => r.status === 'failed').map((r) => pending[r.index]!);
    }
  });
  const acknowledgedMs = performance.now() - started;
  return { name: `batch API, ${BATCH} a request, ${BATCHES_AT_ONCE} at once`, acknowledgedMs, countedMs: await countedAfter(stack, year, SIGNALS, started) };
}

async function importFile(stack: TestStack, year: number): Promise<Way> {
  const dir = mkdtempSync(join(tmpdir(), 'meldroute-bench-bulk-'));
  try {
    const file = join(dir, 'register.csv');
    const rows = Array.from({ length: SIGNALS }, (_, i) => {
      const s = signal(year, 'BULK-IMPORT', i);
      const [y, m, d] = s.observedAt.split('-');
      return [`${Number(d)}-${Number(m)}-${y}`, names[s.municipality], s.province ?? '', s.form].join(';');
    });
    writeFileSync(file, ['datum;gemeente;provincie;vorm', ...rows].join('\r\n'));
    const started = performance.now();
    await promisify(execFile)('npx', ['tsx', 'infra/import.ts', file, '--url', stack.ready.apiUrl, '--key', stack.key('signals:write')], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const acknowledgedMs = performance.now() - started;
    return { name: 'npm run import (CSV)', acknowledgedMs, countedMs: await countedAfter(stack, year, SIGNALS, started) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.error(`bench:bulk: ${SIGNALS.toLocaleString('nl-NL')} signals each way, on one local stack`);
const stack = await TestStack.start();
try {
  // Warm-up: cold starts of the intake, batch, consumer and aggregator are not what is measured.
  await pool(20, 5, async (i) => void (await stack.post(signal(2015, 'BULK-WARM', i))).arrayBuffer());
  await stack.post({ signals: Array.from({ length: 20 }, (_, i) => signal(2015, 'BULK-WARM-BATCH', i)) }, {}, '/v1/signals/batch');
  await countedAfter(stack, 2015, 40, performance.now());

  const ways: Way[] = [];
  for (const [way, year] of [
    [singlePosts, 2016],
    [batches, 2017],
    [importFile, 2018],
  ] as const) {
    const result = await way(stack, year);
    console.error(`  ${result.name}: acknowledged in ${seconds(result.acknowledgedMs)}, counted in ${seconds(result.countedMs)}`);
    ways.push(result);
    await stack.settle(10 * 60_000);
  }

  const [baseline] = ways;
  console.log(`\n${SIGNALS.toLocaleString('nl-NL')} signals each way; the baseline is the first line, measured in the same run\n`);
  console.log('| way | acknowledged | signals/s | vs single POSTs | all counted | vs single POSTs |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const way of ways) {
    const rate = SIGNALS / (way.acknowledgedMs / 1000);
    console.log(
      `| ${way.name} | ${seconds(way.acknowledgedMs)} | ${rate.toFixed(0)} | ${(baseline!.acknowledgedMs / way.acknowledgedMs).toFixed(2)}x faster | ${seconds(way.countedMs)} | ${(baseline!.countedMs / way.countedMs).toFixed(2)}x faster |`,
    );
  }
} finally {
  await stack.stop();
}
