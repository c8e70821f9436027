import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * A stored signal the aggregator cannot count must not go unnoticed: the statistics carry a warning
 * until it is counted, by a fixed version on the stream or by `npm run recount`.
 */
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let stack: TestStack;

beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const today = new Date().toISOString().slice(0, 10);

/** A stored signal item as the consumer writes it, put straight into the table. */
async function putSignal(extra: Record<string, unknown>): Promise<string> {
  const item = {
    schemaVersion: 1,
    signalId: randomUUID(),
    receivedAt: new Date().toISOString(),
    organisation: 'Testpartner Uncounted',
    sourceType: 'gemeente',
    channel: 'api',
    region: 'noord-nederland',
    observedAt: '2022-05-01',
    municipality: 'GM0114',
    province: 'DR',
    form: 'arbeid',
    signalType: 'melding',
    status: 'ontvangen',
    version: 1,
    ...extra,
  };
  await stack.dynamo.send(new PutItemCommand({ TableName: 'meldroute-signals', Item: marshall(item) }));
  return item.signalId;
}

/** npm run recount against the test stack; its exit code, stdout and stderr. */
async function recount(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', resolve(root, 'infra/recount.ts'), '--from', today], {
      cwd: root,
      env: { ...process.env, DYNAMODB_PORT: new URL(stack.ready.dynamoDbEndpoint).port, NODE_NO_WARNINGS: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const counterItems = async () => (await stack.scan('meldroute-statistics')).filter((i) => String(i.pk).startsWith('counter#'));
const warningCount = (s: Record<string, any>) => s.warnings[0]?.count ?? 0;

describe('a signal that cannot be counted', () => {
  it('makes the statistics warn, recount marks and then counts it once fixed, and a second recount changes nothing', async () => {
    await putSignal({});
    await stack.waitForStatistics('year=2022', (s) => s.total === 1 && s.warnings.length === 0);

    // A value the schema refuses: every attempt of the aggregator fails on it.
    const broken = await putSignal({ form: 'arbeidx' });
    const warned = await stack.waitForStatistics('year=2022', (s) => warningCount(s) === 1);
    expect(warned.total).toBe(1);
    expect(warned.warnings).toEqual([
      { code: 'uncounted-signals', count: 1, message: '1 signaal kon (nog) niet worden geteld; deze cijfers zijn te laag tot het opnieuw is geteld.' },
    ]);
    // In every answer it could fall in, and in no other.
    expect(warningCount(await stack.statistics('year=2022&municipality=GM0114'))).toBe(1);
    expect((await stack.statistics('year=2022&province=GR')).warnings).toEqual([]);
    expect((await stack.statistics('year=2023')).warnings).toEqual([]);
    // The marker holds codes and an error name, nothing else of the record.
    const markers = (await stack.scan('meldroute-statistics')).filter((i) => String(i.pk).startsWith('uncounted#'));
    expect(markers).toEqual([
      {
        pk: 'uncounted#noord-nederland',
        revision: expect.any(Number),
        [broken]: { markedAt: expect.any(String), error: '$ZodError', year: 2022, province: 'DR', municipality: 'GM0114' },
      },
    ]);

    // The aggregator logs the signal id and the error's name, nothing of the record.
    expect(stack.logs).toContain('marked uncounted');
    expect(stack.logs).not.toContain('arbeidx');
    expect(stack.logs).not.toContain('Testpartner Uncounted');

    const refused = await recount();
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('0 bijgeteld, 1 waren al geteld, 1 niet te tellen');
    expect(refused.stderr).toMatch(/\r\[#{20}\] 2\/2 signalen, 0 bijgeteld/);

    await stack.updateSignal(broken, { form: 'seksueel' });
    const counted = await recount();
    expect(counted).toMatchObject({ code: 0 });
    expect(counted.stdout).toContain(`Klaar: 2 signalen ontvangen sinds ${today} in de lokale stack`);
    expect(counted.stdout).toContain('1 bijgeteld, 1 waren al geteld, 0 niet te tellen');

    const right = (s: Record<string, any>) => s.total === 2 && s.byForm.seksueel === 1 && s.byForm.arbeid === 1 && s.warnings.length === 0;
    await stack.waitForStatistics('year=2022', right, 30_000);
    // The aggregator's retries of the broken version find it superseded, and leave no marker behind.
    await sleep(2_500);
    expect(right(await stack.statistics('year=2022'))).toBe(true);

    const before = await counterItems();
    const again = await recount();
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('0 bijgeteld, 2 waren al geteld, 0 niet te tellen');
    expect(await counterItems()).toEqual(before);
    expect(right(await stack.statistics('year=2022'))).toBe(true);
  });

  it('is counted, and the warning gone, once a fixed version comes down the stream; the failed record is reported on the failure queue', async () => {
    const broken = await putSignal({ observedAt: '2021-03-01', form: 'arbeidx' });
    const warned = await stack.waitForStatistics('year=2021', (s) => warningCount(s) === 1);
    expect(warned.total).toBe(0);

    await stack.updateSignal(broken, { form: 'crimineel' });
    // The stream gives up on the broken version after its retries, then counts the fixed one.
    const right = (s: Record<string, any>) => s.total === 1 && s.byForm.crimineel === 1 && s.warnings.length === 0;
    await stack.waitForStatistics('year=2021', right, 45_000);
    expect(await stack.waitForMessages(stack.ready.queues.aggregatorFailures, 1)).toHaveLength(1);
    expect((await stack.scan('meldroute-statistics')).find((i) => i.pk === `applied#${broken}`)).toEqual({
      pk: `applied#${broken}`,
      version: 2,
      contribution: expect.objectContaining({ form: 'crimineel', year: 2021 }),
    });
  });
});
