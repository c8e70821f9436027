import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * CPU time (user + system) of the processes a local benchmark runs on: itself (the client), the runner and
 * DynamoDB Local. On two cores they share, the throughput of two ways of doing a thing compares as the
 * inverse of what each costs all of them together; these figures say how far that, and not one process,
 * sets a ratio. Read from /proc, so Linux only: elsewhere `undefined`.
 */

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A process's CPU time so far in ms, from /proc/<pid>/stat (utime and stime, fields 14 and 15). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: count the fields from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** DynamoDB Local's pid, as the runner notes it in its data directory. */
export function dynamoDbLocalPid(dataDir: string): number | undefined {
  try {
    return (JSON.parse(readFileSync(`${dataDir}/dynamodb-local.pid`, 'utf8')) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

export interface CpuShares {
  client: number;
  runner: number;
  dynamoDb: number;
  total: number;
}

/**
 * Adds up what pieces of work cost the client (this process), the runner and DynamoDB Local, so that work
 * measured in several rounds (alternating with other work) is counted together.
 */
export class CpuMeter {
  private client = 0;
  private runner = 0;
  private dynamoDb = 0;
  private readable = true;

  constructor(private readonly pids: { runner: number | undefined; dynamoDb: number | undefined }) {}

  async measure<T>(work: () => Promise<T>): Promise<T> {
    const read = () => ({
      runner: this.pids.runner === undefined ? undefined : processCpuMs(this.pids.runner),
      dynamoDb: this.pids.dynamoDb === undefined ? undefined : processCpuMs(this.pids.dynamoDb),
    });
    const before = read();
    const client = process.cpuUsage();
    const result = await work();
    const { user, system } = process.cpuUsage(client);
    const after = read();
    if (before.runner === undefined || after.runner === undefined || before.dynamoDb === undefined || after.dynamoDb === undefined) {
      this.readable = false;
    } else {
      this.client += (user + system) / 1000;
      this.runner += after.runner - before.runner;
      this.dynamoDb += after.dynamoDb - before.dynamoDb;
    }
    return result;
  }

  /** The CPU time per operation so far, or undefined where a process could not be read. */
  perOperation(operations: number): CpuShares | undefined {
    if (!this.readable) return undefined;
    const [client, runner, dynamoDb] = [this.client, this.runner, this.dynamoDb].map((ms) => ms / operations) as [number, number, number];
    return { client, runner, dynamoDb, total: client + runner + dynamoDb };
  }
}
