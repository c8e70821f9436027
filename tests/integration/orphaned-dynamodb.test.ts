import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

// Issue 13: a runner killed with SIGKILL cannot stop its DynamoDB Local, which then runs on as an
// orphan; the next start on the same data directory finds it by its pid file and stops it.
const dataDir = mkdtempSync(join(tmpdir(), 'meldroute-orphan-'));
let stack: TestStack | undefined;
let orphanPid: number | undefined;

const running = (pid: number) => {
  const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
};

afterAll(async () => {
  await stack?.stop();
  // Whatever happened above, this test leaves no Java behind.
  if (orphanPid && running(orphanPid)) process.kill(orphanPid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a DynamoDB Local left behind by a killed runner', () => {
  it('is stopped by the next start on the same data directory, which says so in one line', async () => {
    const first = await TestStack.start({ dataDir });
    stack = first;
    const { pid, port } = JSON.parse(readFileSync(join(dataDir, 'dynamodb-local.pid'), 'utf8')) as { pid: number; port: number };
    orphanPid = pid;
    expect(first.ready.dynamoDbEndpoint).toBe(`http://127.0.0.1:${port}`);

    await first.killHard();
    expect(running(pid)).toBe(true); // the orphan the issue is about

    stack = await TestStack.start({ dataDir });
    expect(stack.logs).toContain(`stopped DynamoDB Local (pid ${pid}, port ${port}) that a killed runner had left running`);
    expect(running(pid)).toBe(false);
    expect((await fetch(`${stack.ready.apiUrl}/v1/health`)).status).toBe(200);

    // A clean stop leaves no pid file behind, so the start after it finds nothing to stop.
    await stack.stop({ keepData: true });
    stack = undefined;
    expect(() => readFileSync(join(dataDir, 'dynamodb-local.pid'))).toThrow(/ENOENT/);
  });
});
