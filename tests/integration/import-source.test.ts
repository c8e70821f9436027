import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportRun, runImportCli } from './support/import-cli.js';
import { TestStack } from './support/local-stack.js';

/**
 * The bron column of a register, end to end: a ketenregisseur's key made with `npm run keys` with
 * signals:source imports signals from police, municipalities and the KMar, and the figures count each
 * under its own source; a key without signals:source is stopped before anything is taken in, and
 * --zonder-bron takes the file in under the key; a file imported before bron was sent comes in again
 * without an error for each row, and the register's key corrects a signal's source afterwards.
 */
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'meldroute-import-bron-'));
let stack: TestStack;
let registerKey = '';
const NAME = 'Persoon Bronvermijder';

const runs: ImportRun[] = [];

/** A register of the given year: one row per bron, each with the same person's name (which must never show). */
function register(name: string, year: number, sources: readonly string[]): string {
  const path = join(dir, name);
  const rows = sources.map((bron, i) => `${i + 1}-3-${year};Assen;arbeid;${bron};${NAME}`);
  writeFileSync(path, `datum;gemeente;vorm;bron;naam\r\n${rows.join('\r\n')}\r\n`);
  return path;
}

async function runImport(path: string, key: string, ...args: string[]): Promise<ImportRun> {
  const run = await runImportCli(stack.ready.apiUrl, key, path, ...args);
  runs.push(run);
  return run;
}

const signalsOf = async (year: number) => (await stack.scan('meldroute-signals')).filter((s) => String(s.observedAt).startsWith(`${year}-`));

beforeAll(async () => {
  stack = await TestStack.start();
  // As an operator issues it: npm run keys against this stack's DynamoDB.
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      '--import',
      'tsx',
      'infra/partner-keys.ts',
      'create',
      '--organisation',
      'Ketenregisseur Drenthe',
      '--source-type',
      'overig',
      '--scope',
      'signals:write',
      '--scope',
      'signals:source',
      '--endpoint',
      stack.ready.dynamoDbEndpoint,
    ],
    { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  expect(stdout).toContain('signals:write, signals:source');
  registerKey = /\b(mr_local_[A-Za-z0-9_-]{43})\b/.exec(stdout)![1]!;
}, 60_000);
afterAll(() => stack?.stop());

describe('npm run import with a bron column', () => {
  it('names an unknown bron with row and column in the --dry-run report and the rejected rows, sending nothing', async () => {
    const file = register('controle-2015.csv', 2015, ['Politie', 'Bakkerij']);
    const run = await runImport(file, registerKey, '--dry-run');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('rij 3, kolom bron: Onbekende bron; noem één bron per signaal');
    expect(readFileSync(join(dir, 'controle-2015.afgewezen.csv'), 'utf8')).toContain('\r\n3;bron;"Onbekende bron; noem één bron per signaal');
    expect(await stack.scan('meldroute-intake-claims')).toHaveLength(0);
  }, 30_000);

  it('counts each signal of a register under the source its row names, with a key holding signals:source', async () => {
    const file = register('drenthe-2016.csv', 2016, ['Politie', 'politie Drenthe', 'Gemeente Assen', 'gemeente', 'KMar', '']);
    const run = await runImport(file, registerKey);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ontvangen \(nieuw\):\s+6\n/);
    const stats = await stack.waitForStatistics('year=2016', (s) => s.total === 6, 30_000);
    expect(stats.bySourceType).toMatchObject({ politie: 2, gemeente: 2, marechaussee: 1, overig: 1, zorg: 0 });
    // The organisation stays the key's: only "from whom" is the register's to say.
    expect(new Set((await signalsOf(2016)).map((s) => s.organisation))).toEqual(new Set(['Ketenregisseur Drenthe']));
  }, 60_000);

  it('stops a key without signals:source with a Dutch message before anything is taken in', async () => {
    const file = register('gemeente-2017.csv', 2017, ['', 'Politie', 'Veilig Thuis', 'COA']);
    const claimsBefore = (await stack.scan('meldroute-intake-claims')).length;
    const run = await runImport(file, stack.key('signals:write'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('De API weigert de kolom bron');
    expect(run.stderr).toContain('signals:source');
    expect(run.stderr).toContain('--zonder-bron');
    expect(run.stderr).toContain('Er is niets ontvangen.');
    await stack.settle(30_000);
    expect(await signalsOf(2017)).toHaveLength(0);
    expect(await stack.scan('meldroute-intake-claims')).toHaveLength(claimsBefore);
  }, 60_000);

  it('takes the same file in under the key with --zonder-bron, saying the column is left out', async () => {
    const run = await runImport(join(dir, 'gemeente-2017.csv'), stack.key('signals:write'), '--zonder-bron');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('Kolom "bron" wordt niet meegestuurd (--zonder-bron)');
    expect(run.stdout).toMatch(/ontvangen \(nieuw\):\s+4\n/);
    expect((await stack.waitForStatistics('year=2017', (s) => s.total === 4, 30_000)).bySourceType).toMatchObject({ gemeente: 4, politie: 0 });
  }, 60_000);

  it('answers one POST /v1/signals stating a source from a key without signals:source 422, pointing at /sourceType', async () => {
    const response = await stack.post({ observedAt: '2017-05-01', municipality: 'GM0106', form: 'arbeid', sourceType: 'politie' });
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([{ pointer: '/sourceType', detail: expect.stringContaining('signals:source') }]);
  });

  it('takes a file imported before bron was sent in again as already received, counting nothing twice', async () => {
    const file = register('drenthe-2018.csv', 2018, ['Politie', 'Gemeente Assen', 'Politie']);
    // Without bron, the bodies are what an import made before this column was read sent.
    expect((await runImport(file, registerKey, '--zonder-bron')).stdout).toMatch(/ontvangen \(nieuw\):\s+3\n/);
    await stack.waitForStatistics('year=2018', (s) => s.total === 3, 30_000);

    const again = await runImport(file, registerKey);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/ontvangen \(nieuw\):\s+0\n/);
    expect(again.stdout).toMatch(/al eerder ontvangen:\s+3\n/);
    expect(again.stdout).toMatch(/waarvan zonder bron:\s+3 /);
    expect(again.stdout).toMatch(/afgewezen:\s+0 /);
    await stack.settle(30_000);
    expect(await stack.statistics('year=2018')).toMatchObject({ total: 3, bySourceType: { overig: 3, politie: 0 } });
  }, 60_000);

  it('moves a signal taken in without its source to the right row when the register key corrects sourceType, and refuses that to other keys', async () => {
    // The 2018 file above came in with --zonder-bron: three signals counted as overig.
    const [signal] = await signalsOf(2018);
    const path = `/v1/signals/${signal!.signalId}`;
    const asRegister = { authorization: `Bearer ${registerKey}` };

    const refused = await stack.request('PATCH', path, { sourceType: 'politie' });
    expect(refused.status).toBe(422);
    expect((await refused.json()).errors).toEqual([{ pointer: '/sourceType', detail: expect.stringContaining('signals:source') }]);
    const unknown = await stack.request('PATCH', path, { sourceType: 'buurman' }, asRegister);
    expect(unknown.status).toBe(422);
    expect((await unknown.json()).errors).toEqual([{ pointer: '/sourceType', detail: expect.stringContaining('Kies een brontype') }]);

    const corrected = await stack.request('PATCH', path, { sourceType: 'politie' }, asRegister);
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ sourceType: 'politie', version: 2 });
    const stats = await stack.waitForStatistics('year=2018', (s) => s.bySourceType.politie === 1, 30_000);
    expect(stats).toMatchObject({ total: 3, bySourceType: { overig: 2, politie: 1 } });
    expect(await (await stack.request('GET', path, undefined, asRegister)).json()).toMatchObject({ sourceType: 'politie' });
  }, 60_000);

  it("prints and logs no person's name from the registers", () => {
    for (const text of [...runs.flatMap((r) => [r.stdout, r.stderr]), stack.logs]) expect(text).not.toContain(NAME);
    expect(readFileSync(join(dir, 'drenthe-2016.csv'), 'utf8')).toContain(NAME);
  });
});
