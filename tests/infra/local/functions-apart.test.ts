import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalFunctions } from '../../../infra/local/functions.js';

// A project root of two stand-in handlers: one answers with the thread it ran on, one throws.
const root = mkdtempSync(join(tmpdir(), 'meldroute-functions-'));
writeFileSync(join(root, 'package.json'), '{ "type": "module" }');
for (const [name, body] of [
  [
    'not-found',
    "import { threadId } from 'node:worker_threads';\nexport const handler = async (event: { n: number }, context: { functionName: string }) => ({ threadId, n: event.n * 2, name: context.functionName, env: process.env.MELDROUTE_TEST_ENV });",
  ],
  ['health', "export const handler = async () => { throw Object.assign(new Error('table unavailable'), { name: 'TimeoutError' }); };"],
] as const) {
  mkdirSync(join(root, 'functions', name), { recursive: true });
  writeFileSync(join(root, 'functions', name, 'handler.ts'), body);
}
const functions = new LocalFunctions(root, 'eu-central-1', { apart: ['not-found', 'health'] });

afterAll(async () => {
  await functions.close();
  rmSync(root, { recursive: true, force: true });
});

describe('functions run apart', () => {
  it('runs in a thread of its own, with the event, a Lambda context and the environment set after the runner started', async () => {
    process.env.MELDROUTE_TEST_ENV = 'gezet';
    const answer = await functions.invoke<{ threadId: number; n: number; name: string; env: string }>('not-found', { n: 21 });
    expect(answer).toMatchObject({ n: 42, name: 'not-found', env: 'gezet' });
    expect(answer.threadId).not.toBe(0);
  });

  it('hands back a thrown error by its name and message, as an in-process invocation would throw it', async () => {
    await expect(functions.invoke('health', {})).rejects.toMatchObject({ name: 'TimeoutError', message: 'table unavailable' });
  });

  it('answers invocations made at once, each with its own result', async () => {
    const answers = await Promise.all([1, 2, 3].map((n) => functions.invoke<{ n: number }>('not-found', { n })));
    expect(answers.map((a) => a.n)).toEqual([2, 4, 6]);
  });
});
