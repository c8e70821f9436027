/**
 * npm run bench:coldstart — per handler, the minified bundle size and the median time, over fresh
 * `node` processes, to load the bundle and construct its clients (module scope), beside the same for
 * an empty handler bundled the same way (the floor). Bundles with the settings the CDK app uses.
 */

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { functionEntries } from '../../functions/routes.js';
import { esbuildOptions } from '../../infra/aws/bundling.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const extraEnv = process.env.BENCH_NODE_OPTIONS !== undefined ? { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS } : {};
const SIZE_GOAL_KB = 300;
const OVERHEAD_GOAL_MS = 50;
const EMPTY = '(empty handler)';

// What a Lambda's environment gives the module scope: names, ARNs, region and credentials. Nothing is called.
const lambdaEnvironment = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_SESSION_TOKEN: 'bench',
  POWERTOOLS_SERVICE_NAME: 'meldroute-bench',
  POWERTOOLS_LOG_LEVEL: 'WARN',
  SIGNALS_TABLE: 'signals',
  STATISTICS_TABLE: 'statistics',
  INTAKE_CLAIMS_TABLE: 'claims',
  PARTNERS_TABLE: 'partners',
  AUDIT_TABLE: 'audit',
  LINKS_TABLE: 'links',
  SIGNAL_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/signals',
  PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:pseudonym',
  ENVELOPE_KEY_ARN: 'arn:aws:kms:eu-west-1:111122223333:key/bench',
};

async function bundle(entry: string, outdir: string): Promise<string> {
  const outfile = join(outdir, 'index.mjs');
  await build(esbuildOptions(resolve(entry), outfile));
  return outfile;
}

/** One cold load in a fresh process: import the bundle, which builds its clients at module scope. */
function loadOnce(file: string): number {
  const script = `const t0 = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); console.log(performance.now() - t0);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...lambdaEnvironment, ...extraEnv },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out.trim().split('\n').at(-1));
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const work = mkdtempSync(join(tmpdir(), 'meldroute-coldstart-'));
try {
  const entries: Array<[string, string]> = [[EMPTY, 'tests/bench/empty-handler.ts'], ...Object.entries(functionEntries)];
  const bundles = new Map<string, { file: string; bytes: number; times: number[] }>();
  for (const [name, entry] of entries) {
    const file = await bundle(entry, join(work, name.replace(/\W+/g, '_')));
    bundles.set(name, { file, bytes: statSync(file).size, times: [] });
  }
  // Round-robin, so that whatever else the machine does falls on every handler alike.
  for (let run = 0; run < RUNS; run++) for (const b of bundles.values()) b.times.push(loadOnce(b.file));

  const floor = median(bundles.get(EMPTY)!.times);
  console.log(`node ${process.version}, ${RUNS} fresh processes per bundle; load = import of the minified ESM bundle (clients built at module scope)\n`);
  console.log('handler              size KB   median ms   vs empty ms   ratio');
  for (const [name, b] of bundles) {
    const ms = median(b.times);
    const row = [
      name.padEnd(18),
      (b.bytes / 1024).toFixed(1).padStart(9),
      ms.toFixed(1).padStart(11),
      (name === EMPTY ? '—' : `+${(ms - floor).toFixed(1)}`).padStart(13),
      (name === EMPTY ? '1.00x' : `${(ms / floor).toFixed(2)}x`).padStart(7),
    ];
    console.log(row.join(' '));
  }
  const real = [...bundles].filter(([name]) => name !== EMPTY);
  const overSize = real.filter(([, b]) => b.bytes / 1024 > SIZE_GOAL_KB).map(([n]) => n);
  const overTime = real.filter(([, b]) => median(b.times) - floor > OVERHEAD_GOAL_MS).map(([n]) => n);
  console.log(`\ngoal: bundle under ${SIZE_GOAL_KB} KB — ${overSize.length ? `missed by ${overSize.join(', ')}` : 'met by every handler'}`);
  console.log(`goal: under ${OVERHEAD_GOAL_MS} ms above the empty bundle — ${overTime.length ? `missed by ${overTime.join(', ')}` : 'met by every handler'}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
