import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

const root = resolve(import.meta.dirname, '../..');
const execFileAsync = promisify(execFile);
let stack: TestStack;

/** Runs `npm run keys -- …` as an operator would, against this test's local stack. */
async function keys(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'infra/partner-keys.ts', ...args, '--endpoint', stack.ready.dynamoDbEndpoint],
      {
        cwd: root,
        env: { ...process.env, NODE_NO_WARNINGS: '1' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const signal = { observedAt: '2024-05-02', municipality: 'GM0106', form: 'arbeid' };

beforeAll(async () => {
  // No look-up cache, so that a revocation shows at once instead of within the minute a warm Lambda keeps it.
  stack = await TestStack.start({ env: { API_KEY_CACHE_SECONDS: '0' } });
});
afterAll(() => stack?.stop());

describe('npm run keys against the local stack', () => {
  let key = '';
  let keyHash = '';

  it("creates a key that files signals counted under its organisation's source type, storing only its hash", async () => {
    const created = await keys('create', '--organisation', 'Politie Noord-Nederland', '--source-type', 'politie', '--scope', 'signals:write');
    expect(created.code).toBe(0);
    key = /\b(mr_local_[A-Za-z0-9_-]{43})\b/.exec(created.stdout)![1]!;
    keyHash = /--hash ([0-9a-f]{64})/.exec(created.stdout)![1]!;

    const response = await stack.post(signal, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(202);
    await stack.waitForStatistics('region=noord-nederland&year=2024', (s) => s.bySourceType?.politie === 1);

    const stored = JSON.stringify(await stack.scan('meldroute-partners'));
    expect(stored).toContain(keyHash);
    expect(stored).not.toContain(key);
  });

  it('lists the key by hash prefix, organisation and scopes, without the key', async () => {
    const listed = await keys('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(keyHash.slice(0, 16));
    expect(listed.stdout).toMatch(/Politie Noord-Nederland\s+politie\s+signals:write\s+noord-nederland/);
    expect(listed.stdout).not.toContain(key);
  });

  it('revokes the key by its hash, after which the API answers 401', async () => {
    const revoked = await keys('revoke', '--hash', keyHash);
    expect(revoked.code).toBe(0);
    const response = await stack.post(signal, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(401);
    expect((await keys('list')).stdout).toMatch(/revoked \d{4}-/);
  });

  it('refuses an unknown source type or scope by name, and an unknown key to revoke, with exit code 1', async () => {
    const bad = await keys('create', '--organisation', 'X Y', '--source-type', 'bakker', '--scope', 'alles');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/sourceType/);
    expect(bad.stderr).toMatch(/scopes/);
    const unknown = await keys('revoke', '--hash', '0'.repeat(64));
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('No such key') });
  });

  it('registers mail senders, lists a domain as it is and an address only by its hash, and removes them', async () => {
    expect((await keys('sender', '--domain', 'assen.nl', '--organisation', 'Gemeente Assen', '--source-type', 'gemeente', '--province', 'DR')).code).toBe(0);
    expect((await keys('sender', '--address', 'a.jansen@voorbeeld.nl', '--organisation', 'Veilig Thuis', '--source-type', 'veilig-thuis')).code).toBe(0);
    const listed = await keys('senders');
    expect(listed.stdout).toMatch(/assen\.nl\s+Gemeente Assen\s+gemeente\s+noord-nederland\s+DR/);
    expect(listed.stdout).toMatch(/address [0-9a-f]{16}…\s+Veilig Thuis/);
    expect(listed.stdout).not.toContain('jansen');
    expect(listed.stdout).not.toContain('Politie Noord-Nederland');
    expect((await keys('list')).stdout).not.toContain('Gemeente Assen');
    expect((await keys('remove-sender', '--domain', 'assen.nl')).code).toBe(0);
    expect(await keys('remove-sender', '--domain', 'assen.nl')).toMatchObject({ code: 1, stderr: expect.stringContaining('No such sender') });
  });
});
