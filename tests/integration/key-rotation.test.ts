import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

let stack: TestStack | undefined;
afterAll(() => stack?.stop());

const root = resolve(import.meta.dirname, '../..');
const signal = { observedAt: '2017-05-02', municipality: 'GM0114', form: 'arbeid', externalId: 'ROT-1', subject: { bsn: '111222333' } };

describe('a partner retry across a rotation of the pseudonymisation key', () => {
  it('is recognised after `npm run keys -- rotate-pseudonym-key` and a restart: one signal, counted once; new pseudonyms use the new key', async () => {
    stack = await TestStack.start({ inMemory: false });
    const { dataDir } = stack;
    const first = await stack.post(signal, { 'idempotency-key': 'rot-0001' });
    expect(first.status).toBe(202);
    const { signalId } = (await first.json()) as { signalId: string };
    await stack.waitForStatistics('year=2017', (s) => s.total === 1);
    await stack.stop({ keepData: true });

    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'infra/partner-keys.ts', 'rotate-pseudonym-key', '--data-dir', dataDir],
      { cwd: root },
    );
    expect(stdout).toMatch(/local-pseudonym-1 rotated to local-pseudonym-2/);
    const keyFile = JSON.parse(readFileSync(join(dataDir, 'keys', 'pseudonymisation-key.json'), 'utf8'));
    expect(keyFile.keyId).toBe('local-pseudonym-2');
    expect(keyFile.previous.map((k: { keyId: string }) => k.keyId)).toEqual(['local-pseudonym-1']);

    stack = await TestStack.start({ inMemory: false, dataDir });
    const retry = await stack.post(signal, { 'idempotency-key': 'rot-0001' });
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as { signalId: string }).signalId).toBe(signalId);
    const other = await stack.post({ ...signal, externalId: 'ROT-2' });
    expect(other.status).toBe(202);
    await stack.settle();

    expect((await stack.statistics('year=2017')).total).toBe(2);
    const stored = await stack.scan('meldroute-signals');
    expect(stored.filter((s) => s.signalId === signalId)).toHaveLength(1);
    const newOne = stored.find((s) => s.signalId !== signalId && s.observedAt === '2017-05-02');
    expect(newOne?.subject.keyId).toBe('local-pseudonym-2');
  });
});
