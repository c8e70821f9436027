import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbInUseError, isDynamoDbLocalCommand, stopOrphanedDynamoDb } from '../../../infra/local/dynamodb-local.js';

// A stand-in for DynamoDB Local: node under the name `java`, with DynamoDB Local's arguments, so that
// `ps` shows what it would show for the real one.
let dir: string;
let fakeJava: string;
const started: ChildProcess[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meldroute-orphan-'));
  fakeJava = join(dir, 'java');
  symlinkSync(process.execPath, fakeJava);
});
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
  return stat !== '' && !stat.startsWith('Z');
}

/** Starts a process and resolves once it has printed its first line (so `ps` shows its own arguments). */
async function startProcess(command: string, args: string[]): Promise<{ child: ChildProcess; firstLine: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const firstLine = await new Promise<string>((resolve) => child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
  return { child, firstLine };
}

const keepRunning = (ignoreTerm: boolean) => `${ignoreTerm ? "process.on('SIGTERM', () => {});" : ''} console.log('ready'); setInterval(() => {}, 1000);`;

const fakeDynamoDb = (port: number, ignoreTerm = false) =>
  startProcess(fakeJava, ['-e', keepRunning(ignoreTerm), '--', '-jar', 'DynamoDBLocal.jar', '-inMemory', '-port', String(port), '-sharedDb']);

const DEAD_RUNNER = 2 ** 22 + 17; // beyond the default pid_max: no process has it

function pidFile(record: object): string {
  const path = join(dir, `dynamodb-local-${Math.random().toString(36).slice(2)}.pid`);
  writeFileSync(path, JSON.stringify(record));
  return path;
}

describe('isDynamoDbLocalCommand', () => {
  it('knows DynamoDB Local on its port by the command line', () => {
    const command = 'java -Djava.library.path=../../lib/x/DynamoDBLocal_lib -jar ../../lib/x/DynamoDBLocal.jar -inMemory -port 44651 -sharedDb';
    expect(isDynamoDbLocalCommand(command, 44651)).toBe(true);
    expect(isDynamoDbLocalCommand(`/usr/lib/jvm/bin/${command}`, 44651)).toBe(true);
    expect(isDynamoDbLocalCommand(command, 4465)).toBe(false);
    expect(isDynamoDbLocalCommand(command.replace('java', 'node'), 44651)).toBe(false);
    expect(isDynamoDbLocalCommand('java -jar other.jar -port 44651', 44651)).toBe(false);
  });
});

describe('stopOrphanedDynamoDb', () => {
  it('does nothing without a pid file', async () => {
    const logs: string[] = [];
    await stopOrphanedDynamoDb(join(dir, 'none.pid'), (l) => logs.push(l));
    expect(logs).toEqual([]);
  });

  it('stops a DynamoDB Local whose runner is gone, says so in one line, and removes the pid file', async () => {
    const { child } = await fakeDynamoDb(45001);
    const file = pidFile({ pid: child.pid, port: 45001, runner: DEAD_RUNNER });
    const logs: string[] = [];
    await stopOrphanedDynamoDb(file, (l) => logs.push(l));
    expect(alive(child.pid!)).toBe(false);
    expect(logs).toEqual([`stopped DynamoDB Local (pid ${child.pid}, port 45001) that a killed runner had left running`]);
    expect(existsSync(file)).toBe(false);
  });

  it('kills one that ignores SIGTERM after five seconds', async () => {
    const { child } = await fakeDynamoDb(45002, true);
    const began = Date.now();
    await stopOrphanedDynamoDb(pidFile({ pid: child.pid, port: 45002, runner: DEAD_RUNNER }), () => {});
    expect(alive(child.pid!)).toBe(false);
    expect(Date.now() - began).toBeGreaterThanOrEqual(5_000);
  }, 15_000);

  it('leaves alone a process that now has the pid but is not DynamoDB Local on that port, and drops the stale file', async () => {
    const { child: other } = await startProcess(process.execPath, ['-e', keepRunning(false)]);
    const { child: elsewhere } = await fakeDynamoDb(45003);
    const logs: string[] = [];
    const stale = pidFile({ pid: other.pid, port: 45003, runner: DEAD_RUNNER });
    await stopOrphanedDynamoDb(stale, (l) => logs.push(l));
    // The right program, but on another port than the file names: another runner's.
    await stopOrphanedDynamoDb(pidFile({ pid: elsewhere.pid, port: 45999, runner: DEAD_RUNNER }), (l) => logs.push(l));
    expect([alive(other.pid!), alive(elsewhere.pid!), logs, existsSync(stale)]).toEqual([true, true, [], false]);
  });

  it('drops a pid file whose process is gone, or that does not parse', async () => {
    const gone = pidFile({ pid: DEAD_RUNNER, port: 45004, runner: DEAD_RUNNER });
    const garbage = join(dir, 'garbage.pid');
    writeFileSync(garbage, 'null');
    await stopOrphanedDynamoDb(gone, () => {});
    await stopOrphanedDynamoDb(garbage, () => {});
    expect([existsSync(gone), existsSync(garbage)]).toEqual([false, false]);
  });

  it('refuses, naming the pid, when the runner that started it still runs', async () => {
    // A runner stand-in that starts the fake DynamoDB Local itself and prints its pid.
    const script = `
      const { spawn } = require('node:child_process');
      const child = spawn(${JSON.stringify(fakeJava)}, ['-e', ${JSON.stringify(keepRunning(false))}, '--', '-jar', 'DynamoDBLocal.jar', '-port', '45005'], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.once('data', () => console.log(child.pid));
      process.on('SIGTERM', () => { child.kill('SIGKILL'); process.exit(0); });
      setInterval(() => {}, 1000);`;
    const { child: runner, firstLine } = await startProcess(process.execPath, ['-e', script]);
    const javaPid = Number(firstLine);
    try {
      const run = stopOrphanedDynamoDb(pidFile({ pid: javaPid, port: 45005, runner: runner.pid }), () => {});
      await expect(run).rejects.toThrow(DynamoDbInUseError);
      await expect(run).rejects.toThrow(`DynamoDB Local (pid ${javaPid})`);
      expect(alive(javaPid)).toBe(true);
    } finally {
      runner.kill('SIGTERM');
      await new Promise((r) => runner.once('exit', r));
    }
  });
});
