import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAggregationStore } from '#adapters/dynamodb/aggregation-store.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';
import { type Contribution, type ContributionV1, contributionOf, counterDeltas, StoredSignalSchema } from '#domain/statistics/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * What the aggregator writes into the statistics table for the monitor: every dimension and pair with
 * the sum of record keys beside it, moved exactly by corrections and withdrawals, and signals counted
 * before these dimensions brought up to them once by `npm run recount -- --rebuild`.
 */
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const today = new Date().toISOString().slice(0, 10);

type Item = Record<string, number | string>;
/** The counter items, without the revision that every change raises (counter-reader.ts): their counts, key sums and updatedAt. */
const counterItems = async (): Promise<Item[]> =>
  (await stack.scan('meldroute-statistics'))
    .filter((i) => String(i.pk).startsWith('counter#'))
    .map(({ revision: _revision, ...item }) => item)
    .sort((a, b) => String(a.pk).localeCompare(String(b.pk)));
const counterItem = async (pk: string) => (await counterItems()).find((i) => i.pk === pk);
/** An item's counts that are not 0 (an attribute a correction emptied stays, at 0). */
const nonZero = (item: Item | undefined): Record<string, number> =>
  Object.fromEntries(Object.entries(item ?? {}).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] !== 0));
/** Each attribute with its key sum beside it. */
const withKeys = (counts: Record<string, number>, key: number) =>
  Object.fromEntries(
    Object.entries(counts).flatMap(([attribute, n]) => [
      [attribute, n],
      [`k:${attribute}`, n * key],
    ]),
  );

/** The counter items as a fresh count of the stored signals makes them, non-zero attributes only. */
async function freshCount(): Promise<Record<string, Record<string, number>>> {
  const items: Record<string, Record<string, number>> = {};
  for (const stored of await stack.scan('meldroute-signals')) {
    for (const [key, deltas] of counterDeltas(null, contributionOf(StoredSignalSchema.parse(stored)))) {
      items[key] ??= {};
      const item = items[key];
      for (const [attribute, n] of deltas) item[attribute] = (item[attribute] ?? 0) + n;
    }
  }
  return items;
}
/** The counter items as they are, non-zero attributes only. */
async function counted(): Promise<Record<string, Record<string, number>>> {
  const items: Record<string, Record<string, number>> = {};
  for (const item of await counterItems()) if (Object.keys(nonZero(item)).length > 0) items[String(item.pk)] = nonZero(item);
  return items;
}

async function waitForApplied(signalId: string, version: number): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const applied = (await stack.scan('meldroute-statistics')).find((item) => item.pk === `applied#${signalId}`);
    if (applied?.version === version) return;
    await sleep(50);
  }
  throw new Error(`version ${version} of ${signalId} was never counted`);
}

async function post(body: object): Promise<string> {
  const response = await stack.post(body);
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
}

async function patch(signalId: string, correction: object, version: number): Promise<void> {
  expect((await stack.request('PATCH', `/v1/signals/${signalId}`, correction)).status).toBe(200);
  await waitForApplied(signalId, version);
}

/** npm run recount against the test stack; its exit code and output. */
async function recount(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', resolve(root, 'infra/recount.ts'), '--from', today, ...args], {
      cwd: root,
      env: { ...process.env, DYNAMODB_PORT: new URL(stack.ready.dynamoDbEndpoint).port, NODE_NO_WARNINGS: '1' },
    });
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: `${failed.stdout}${failed.stderr}` };
  }
}

/**
 * Leaves a signal as the aggregator before dimensions version 2 would have: its applied contribution of
 * version 1, and in the counters only what that added. Through the adapter, in one transaction.
 */
async function countAsBefore(signalId: string): Promise<void> {
  const store = new DynamoDbAggregationStore(stack.dynamo, 'meldroute-statistics');
  const { applied } = await store.bookkeeping(signalId);
  const current = applied!.contribution as Contribution;
  const {
    dimensionsVersion: _d,
    recordKey: _r,
    exploitationMunicipality: _e,
    minors: _m,
    sector: _s,
    ageBand: _a,
    gender: _g,
    status: _st,
    additionalForms: _f,
    routes: _routes,
    ...v1
  } = current;
  const old: ContributionV1 = v1;
  expect(await store.apply(signalId, applied, { version: applied!.version, contribution: old }, counterDeltas(current, old), [])).toBe(true);
}

describe('the counters of the monitor', () => {
  let assen: string;
  let groningen: string;
  let web: string;

  it('count every dimension and pair with its key sum, for signals filed by API and by the web form', async () => {
    // A minor (14 on the day) from Emmen exploited in Assen in the hospitality trade, with two further forms.
    assen = await post({
      observedAt: '2019-04-10',
      municipality: 'GM0114',
      form: 'arbeid',
      additionalForms: ['seksueel', 'crimineel'],
      sector: 'horeca',
      exploitationMunicipality: 'GM0106',
      signalType: 'casus',
      subject: { dateOfBirth: '2005-01-01', gender: 'v' },
    });
    // An adult (27) in Groningen, nothing further known.
    groningen = await post({ observedAt: '2019-07-01', municipality: 'GM0014', form: 'seksueel', subject: { dateOfBirth: '1992-03-01', gender: 'm' } });
    // The web form's signal: no person, but the reporter thinks minors are involved; place unknown in Friesland.
    web = randomUUID();
    await stack.dynamo.send(
      new PutItemCommand({
        TableName: 'meldroute-signals',
        Item: marshall({
          schemaVersion: 1,
          signalId: web,
          receivedAt: new Date().toISOString(),
          organisation: 'Meldformulier',
          sourceType: 'burger',
          channel: 'web',
          region: 'noord-nederland',
          observedAt: '2019-04-20',
          municipality: 'onbekend',
          province: 'FR',
          form: 'onbekend',
          signalType: 'melding',
          status: 'te-verrijken',
          minorsSuspected: 'ja',
          version: 1,
        }),
      }),
    );
    await stack.settle();

    const rAssen = recordKeyOf(assen);
    expect(await counterItem('counter#municipality#GM0114#2019')).toEqual({
      pk: 'counter#municipality#GM0114#2019',
      updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      ...withKeys(
        {
          total: 1,
          'form#arbeid': 1,
          'province#DR': 1,
          'municipality#GM0114': 1,
          'sourceType#gemeente': 1,
          'channel#api': 1,
          'signalType#casus': 1,
          'month#2019-04': 1,
          'exploitationMunicipality#GM0106': 1,
          'minors#ja': 1,
          'sector#horeca': 1,
          'ageBand#12-17': 1,
          'gender#v': 1,
          'status#ontvangen': 1,
          'additionalForm#crimineel': 1,
          'additionalForm#seksueel': 1,
          'municipality|form#GM0114|arbeid': 1,
          'month|form#2019-04|arbeid': 1,
          'sourceType|form#gemeente|arbeid': 1,
          'province|form#DR|arbeid': 1,
          'exploitationMunicipality|form#GM0106|arbeid': 1,
          'route#geen-besluit': 1,
          // It names no one who can be linked (a birth date alone is no match key): its person is unknown.
          'person#onbekend': 1,
          'signalledBefore#onbekend': 1,
        },
        rAssen,
      ),
      // Its route set (no decision yet): the signal is in that route-set item too (statistics-routes.test.ts).
      'routeSet#geen-besluit': 1,
    });

    const [rGroningen, rWeb] = [recordKeyOf(groningen), recordKeyOf(web)];
    const region = (await counterItem('counter#region#noord-nederland#2019'))!;
    expect(region).toMatchObject({
      total: 3,
      'k:total': rAssen + rGroningen + rWeb,
      'minors#ja': 2,
      'k:minors#ja': rAssen + rWeb,
      'minors#nee': 1,
      'k:minors#nee': rGroningen,
      'ageBand#23-29': 1,
      'ageBand#onbekend': 1,
      'gender#onbekend': 1,
      'sector#onbekend': 2,
      'k:sector#onbekend': rGroningen + rWeb,
      'exploitationMunicipality#onbekend': 2,
      'status#te-verrijken': 1,
      'channel#web': 1,
      'municipality#onbekend': 1,
      'month|form#2019-04|onbekend': 1,
      'province|form#FR|onbekend': 1,
      'province|form#GR|seksueel': 1,
      'k:province|form#GR|seksueel': rGroningen,
      'municipality|form#onbekend|onbekend': 1,
      'exploitationMunicipality|form#onbekend|seksueel': 1,
      'sourceType|form#burger|onbekend': 1,
    });
    // The place unknown: counted in its province and region, in no municipality of its own.
    expect(await counterItem('counter#province#FR#2019')).toMatchObject({ total: 1, 'k:total': rWeb, 'minors#ja': 1 });
    expect(await counted()).toEqual(await freshCount());
  });

  it('move every affected attribute and key sum on a correction, and remove all on a withdrawal', async () => {
    const firstChanged = (await counterItem('counter#municipality#GM0114#2019'))!.updatedAt as string;
    await patch(assen, { form: 'crimineel', sector: 'bouw', exploitationMunicipality: 'GM0109', additionalForms: ['seksueel'] }, 2);
    const r = recordKeyOf(assen);
    const emmen = (await counterItem('counter#municipality#GM0114#2019'))!;
    expect((emmen.updatedAt as string) > firstChanged).toBe(true);
    expect(emmen).toMatchObject(
      withKeys(
        {
          total: 1,
          'form#arbeid': 0,
          'form#crimineel': 1,
          'sector#horeca': 0,
          'sector#bouw': 1,
          'exploitationMunicipality#GM0106': 0,
          'exploitationMunicipality#GM0109': 1,
          'additionalForm#crimineel': 0,
          'additionalForm#seksueel': 1,
          'municipality|form#GM0114|arbeid': 0,
          'municipality|form#GM0114|crimineel': 1,
          'month|form#2019-04|crimineel': 1,
          'exploitationMunicipality|form#GM0106|arbeid': 0,
          'exploitationMunicipality|form#GM0109|crimineel': 1,
          'minors#ja': 1,
        },
        r,
      ),
    );

    await patch(groningen, { status: 'ingetrokken' }, 2);
    for (const pk of ['counter#municipality#GM0014#2019', 'counter#province#GR#2019']) {
      const item = (await counterItem(pk))!;
      expect(item).toMatchObject({ total: 0, 'k:total': 0, 'gender#m': 0, 'k:province|form#GR|seksueel': 0 });
      expect(nonZero(item)).toEqual({});
    }
    expect(await counted()).toEqual(await freshCount());

    // Reinstated, from an applied state that counted nothing.
    await patch(groningen, { status: 'ontvangen' }, 3);
    expect(nonZero(await counterItem('counter#municipality#GM0014#2019'))).toMatchObject({ total: 1, 'k:total': recordKeyOf(groningen), 'ageBand#23-29': 1 });
    expect(await counted()).toEqual(await freshCount());
  });

  it('bring signals counted before these dimensions up to them: a correction exactly, the rest once by recount --rebuild', async () => {
    const before = await counterItems();
    await countAsBefore(assen);
    await countAsBefore(web);
    // Only the eight dimensions of version 1 still count them.
    expect(nonZero(await counterItem('counter#municipality#GM0114#2019'))).toEqual({
      total: 1,
      'form#crimineel': 1,
      'province#DR': 1,
      'municipality#GM0114': 1,
      'sourceType#gemeente': 1,
      'channel#api': 1,
      'signalType#casus': 1,
      'month#2019-04': 1,
    });
    const asBefore = await counterItems();

    // Without --rebuild, a recount leaves them as they are.
    const plain = await recount();
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Klaar: 3 signalen');
    expect(plain.stdout).toContain('0 bijgeteld, 3 waren al geteld, 0 niet te tellen.');
    expect(await counterItems()).toEqual(asBefore);

    // A correction of one of them subtracts what it added then, and adds all it adds now.
    await patch(assen, { sector: 'schoonmaak' }, 3);
    expect(nonZero(await counterItem('counter#municipality#GM0114#2019'))).toEqual({
      ...withKeys(
        Object.fromEntries(
          Object.entries(nonZero(before.find((i) => i.pk === 'counter#municipality#GM0114#2019')))
            .filter(([a]) => !a.startsWith('k:') && !a.startsWith('routeSet#'))
            .map(([a, n]) => [a === 'sector#bouw' ? 'sector#schoonmaak' : a, n]),
        ),
        recordKeyOf(assen),
      ),
      'routeSet#geen-besluit': 1,
    });

    const rebuilt = await recount('--rebuild');
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toContain('0 bijgeteld, 2 waren al geteld, 0 niet te tellen, 1 in de nieuwe indeling herteld.');
    expect(rebuilt.stdout).toContain('Alle getelde signalen staan in de nieuwe indeling (versie 3).');
    expect(await counted()).toEqual(await freshCount());
    expect(nonZero(await counterItem('counter#province#FR#2019'))).toMatchObject({ 'minors#ja': 1, 'k:minors#ja': recordKeyOf(web), 'status#te-verrijken': 1 });

    // A second rebuild that had read the old state before the first wrote loses: the condition holds the dimensions version.
    const store = new DynamoDbAggregationStore(stack.dynamo, 'meldroute-statistics');
    const { applied } = await store.bookkeeping(web);
    const { dimensionsVersion: _, ...read } = applied!.contribution as Contribution;
    expect(
      await store.apply(web, { version: 1, contribution: read }, applied!, new Map([['counter#region#noord-nederland#2019', new Map([['total', 1]])]]), []),
    ).toBe(false);

    const settled = await counterItems();
    const again = await recount('--rebuild');
    expect(again.stdout).toContain('0 bijgeteld, 3 waren al geteld, 0 niet te tellen, 0 in de nieuwe indeling herteld.');
    expect(await counterItems()).toEqual(settled);

    // One received before --from stays as it was counted, and the rebuild says so.
    await countAsBefore(web);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const partial = await recount('--rebuild', '--from', tomorrow);
    expect(partial.code).toBe(0);
    expect(partial.stdout).toContain(`Klaar: 0 signalen ontvangen sinds ${tomorrow}`);
    expect(partial.stdout).toContain(`1 signaal blijft in een oudere indeling geteld: ontvangen vóór ${tomorrow}, of niet meer in de signalentabel`);
  });
});
