import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';
import { DynamoDbReleaseStore } from '#adapters/dynamodb/release-store.js';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import type { Route, StoredSignal } from '#domain/signal/index.js';
import {
  aggregateSignal,
  type Contribution,
  type ContributionV2,
  counterDeltas,
  type PublicRelease,
  readStatistics,
  type Statistics,
  StatisticsQuerySchema,
  StoredSignalSchema,
} from '#domain/statistics/index.js';
import { MemoryCounters } from '../support/in-memory-ports.js';
import { TestStack } from './support/local-stack.js';

/**
 * The route dimension over the emulators: signals filed through the API, decided as the table's decision
 * writes them (SignalStore.update: routes and status, the version raised), counted by the aggregator from
 * the stream; byRoute and excludeRoute=riec exact on the exact route, moved by a later decision, brought up
 * by `npm run recount -- --rebuild` for signals counted before the routes, and on the public route after a
 * release. The release function runs every second with PUBLIC_RELEASE_INTERVAL=0.
 */
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let stack: TestStack;
let signals: DynamoDbSignalStore;

beforeAll(async () => {
  stack = await TestStack.start({ env: { PUBLIC_RELEASE_INTERVAL: '0', LOCAL_RELEASE_SCHEDULE_SECONDS: '1' } });
  signals = new DynamoDbSignalStore(stack.dynamo, 'meldroute-signals');
});
afterAll(() => stack?.stop());

const QUERY = 'year=2021&province=DR';

async function file(body: object): Promise<string> {
  const response = await stack.post(body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
}

async function waitForApplied(signalId: string, version: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const applied = (await stack.scan('meldroute-statistics')).find((item) => item.pk === `applied#${signalId}`);
    if (applied?.version === version) return;
    await sleep(50);
  }
  throw new Error(`version ${version} of ${signalId} was never counted`);
}

/** The table's decision as the decisions route stores it: the routes, status besproken, the version raised. */
async function decide(signalId: string, routes: Route[]): Promise<void> {
  const stored = (await signals.get(signalId))!;
  expect(await signals.update(signalId, stored.version, { routes, status: 'besproken' })).toBe(true);
  await waitForApplied(signalId, stored.version + 1);
}

/** The stored signals, as the signals table holds them now. */
const storedSignals = async (): Promise<StoredSignal[]> => (await stack.scan('meldroute-signals')).map((item) => StoredSignalSchema.parse(item));

/** What a fresh count of these signals answers: the figures the exact route must give, computed apart. */
async function freshStatistics(query: string, keep: (signal: StoredSignal) => boolean): Promise<Statistics> {
  const store = new MemoryCounters();
  for (const signal of (await storedSignals()).filter(keep)) await aggregateSignal(signal, store);
  return readStatistics(StatisticsQuerySchema.parse(Object.fromEntries(new URLSearchParams(query))), store);
}

/** The figures alone: not when they were made or changed, nor the echo of what was left out. */
const figures = ({ generatedAt: _g, updatedAt: _u, excludeRoute: _e, ...rest }: Record<string, any>) => rest;
const withoutRiec = (signal: StoredSignal) => !(signal.routes ?? []).includes('riec');

let ids: string[] = [];

describe('the route dimension over the emulators', () => {
  it('counts every signal by the routes of its latest decision, and nog geen besluit before one', async () => {
    ids = await Promise.all([
      ...Array.from({ length: 4 }, (_, i) => file({ observedAt: `2021-03-1${i}`, municipality: 'GM0114', form: 'seksueel' })),
      ...Array.from({ length: 5 }, (_, i) => file({ observedAt: `2021-05-1${i}`, municipality: 'GM0106', form: 'arbeid' })),
      ...Array.from({ length: 3 }, (_, i) => file({ observedAt: `2021-09-1${i}`, municipality: 'GM0118', form: 'crimineel' })),
      file({ observedAt: '2020-06-01', municipality: 'GM0114', form: 'arbeid' }),
    ]);
    await stack.settle();
    // Emmen's four to the RIEC (one with a criminal-law route beside it), Assen's five to care, one crimineel for advice.
    for (const id of ids.slice(0, 3)) await decide(id, ['riec']);
    await decide(ids[3]!, ['riec', 'zorg-en-strafrecht']);
    for (const id of ids.slice(4, 9)) await decide(id, ['zorg']);
    await decide(ids[9]!, ['advies']);
    await decide(ids[12]!, ['riec']);

    const stats = await stack.statistics(QUERY);
    expect(stats.total).toBe(12);
    expect(stats.byRoute).toEqual({ zorg: 5, 'zorg-en-strafrecht': 1, riec: 4, advies: 1, 'geen-vervolg': 0, 'geen-besluit': 2 });
    expect(figures(stats)).toEqual(figures(await freshStatistics(QUERY, () => true)));
  });

  it('gives every table without the RIEC cases in one request, exactly: totals, one-way, cross, byYear and previousYear', async () => {
    for (const query of [QUERY, `${QUERY}&cross=municipality,form`, 'from=2020&to=2021&cross=year,form', 'year=2021&municipality=GM0114&cross=month,form']) {
      const without = await stack.statistics(`${query}&excludeRoute=riec`);
      expect(without.excludeRoute).toEqual(['riec']);
      expect(figures(without), query).toEqual(figures(await freshStatistics(query, withoutRiec)));
    }
    const drenthe = await stack.statistics(`${QUERY}&excludeRoute=riec`);
    expect(drenthe).toMatchObject({ total: 8, previousYear: 0, byMunicipality: { GM0114: 0, GM0106: 5, GM0118: 3 }, byRoute: { riec: 0, zorg: 5 } });
    // As CSV, the same numbers, the file named after what was left out.
    const csv = await fetch(`${stack.ready.apiUrl}/v1/statistics?${QUERY}&excludeRoute=riec&format=csv&table=byRoute`, {
      headers: { 'x-api-key': stack.key('statistics:read') },
    });
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="meldroute-2021-drenthe-zonder-riec-route.csv"');
    expect(await csv.text()).toContain('\r\nriec;RIEC;0\r\nadvies;advies;1\r\n');
  });

  it('moves the counts when a later decision changes riec to zorg, and when a decided signal is withdrawn', async () => {
    const before = await stack.statistics(`${QUERY}&excludeRoute=riec`);
    await decide(ids[0]!, ['zorg']);
    const all = await stack.statistics(QUERY);
    expect(all.byRoute).toMatchObject({ riec: 3, zorg: 6 });
    const without = await stack.statistics(`${QUERY}&excludeRoute=riec`);
    expect(without.total).toBe(before.total + 1);
    expect(without.byMunicipality.GM0114).toBe(1);
    expect(figures(without)).toEqual(figures(await freshStatistics(QUERY, withoutRiec)));

    // A RIEC case withdrawn leaves the full table and so changes nothing without RIEC.
    const stored = (await signals.get(ids[1]!))!;
    expect(await signals.update(ids[1]!, stored.version, { status: 'ingetrokken' })).toBe(true);
    await waitForApplied(ids[1]!, stored.version + 1);
    expect((await stack.statistics(QUERY)).byRoute.riec).toBe(2);
    expect(figures(await stack.statistics(`${QUERY}&excludeRoute=riec`))).toEqual(figures(without));
    // Two routes left out: no signal with both subtracted twice.
    const both = await stack.statistics(`${QUERY}&excludeRoute=riec,zorg-en-strafrecht&cross=municipality,form`);
    expect(figures(both)).toEqual(
      figures(await freshStatistics(`${QUERY}&cross=municipality,form`, (s) => !(s.routes ?? []).some((r) => r === 'riec' || r === 'zorg-en-strafrecht'))),
    );
  });

  it('publishes the figures without the RIEC cases after a release, each suppressed where the full figure is', async () => {
    const releases = new DynamoDbReleaseStore(stack.dynamo, 'meldroute-statistics', true);
    const publicAnswer = async (query: string) => (await (await fetch(`${stack.ready.apiUrl}/v1/public/statistics?${query}`)).json()) as Record<string, any>;
    // The latest release, and both answers from it (read again should the schedule release meanwhile).
    let release: PublicRelease | undefined;
    let all: Record<string, any> = {};
    let without: Record<string, any> = {};
    for (let i = 0; i < 100; i++) {
      release = await releases.latest('noord-nederland');
      if (release) {
        [all, without] = await Promise.all([publicAnswer(QUERY), publicAnswer(`${QUERY}&excludeRoute=riec`)]);
        if (all.release?.releasedAt === release.releasedAt && without.release?.releasedAt === release.releasedAt) break;
      }
      await sleep(200);
    }
    expect(without.release).toEqual({ releasedAt: release!.releasedAt, nextPossibleAt: expect.any(String) });
    expect(without.excludeRoute).toEqual(['riec']);
    // The exact figures of that release without RIEC: its counter items less its route-set items.
    const reader = {
      readItems: async (keys: readonly string[]) => ({ items: await releases.readReleased('noord-nederland', release!.releaseId, keys), uncounted: [] }),
    };
    const exact = await readStatistics(StatisticsQuerySchema.parse({ year: '2021', province: 'DR', excludeRoute: 'riec' }), reader);
    expect(exact.total).toBeGreaterThan(0);
    for (const [table, cells] of Object.entries(all)) {
      if (!table.startsWith('by')) continue;
      for (const [value, count] of Object.entries(cells as Record<string, number | null>)) {
        const shown = without[table][value] as number | null;
        const truth = (exact as unknown as Record<string, Record<string, number>>)[table]![value]!;
        if (count === null) expect(shown, `${table}.${value}`).toBeNull();
        // Never 1 to 4; a shown count within 2 of the true one; a 0 only for a 0.
        if (shown !== null) expect(Math.abs(shown - truth), `${table}.${value}`).toBeLessThanOrEqual(2);
        if (shown === 0) expect(truth).toBe(0);
        if (shown !== null && shown > 0) expect(shown).toBeGreaterThanOrEqual(5);
      }
    }
    if (without.total !== null) expect(Math.abs(without.total - exact.total)).toBeLessThanOrEqual(2);
    const csv = await fetch(`${stack.ready.apiUrl}/v1/public/statistics?${QUERY}&excludeRoute=riec&format=csv&table=byMunicipality`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toContain('zonder-riec');
  });

  it('brings signals counted before the routes up to them once by recount --rebuild', async () => {
    const store = new DynamoDbAggregationStore(stack.dynamo, 'meldroute-statistics');
    const settled = await stack.statistics(`${QUERY}&excludeRoute=riec`);
    // Two decided signals as the aggregator of dimensions version 2 left them: no routes, no route-set item.
    for (const id of [ids[2]!, ids[4]!]) {
      const { applied } = await store.bookkeeping(id);
      const { routes: _r, dimensionsVersion: _d, ...rest } = applied!.contribution as Contribution;
      const old: ContributionV2 = { ...rest, dimensionsVersion: 2 };
      expect(await store.apply(id, applied, { version: applied!.version, contribution: old }, counterDeltas(applied!.contribution, old), [])).toBe(true);
    }
    const old = await stack.statistics(`${QUERY}&excludeRoute=riec`);
    // The RIEC case counted under version 2 has no route to leave out: it is counted again, and byRoute lacks both.
    expect(old.total).toBe(settled.total + 1);
    expect(old.byRoute.zorg).toBe(settled.byRoute.zorg - 1);

    const today = new Date().toISOString().slice(0, 10);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(root, 'infra/recount.ts'), '--from', today, '--rebuild'], {
      cwd: root,
      env: { ...process.env, DYNAMODB_PORT: new URL(stack.ready.dynamoDbEndpoint).port, NODE_NO_WARNINGS: '1' },
    });
    expect(stdout).toContain('2 in de nieuwe indeling herteld.');
    expect(stdout).toContain('Alle getelde signalen staan in de nieuwe indeling (versie 3).');
    expect(figures(await stack.statistics(`${QUERY}&excludeRoute=riec`))).toEqual(figures(settled));
  });
});
