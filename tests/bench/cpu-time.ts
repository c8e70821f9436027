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

/** Measures what `work` costs the client (this process), the runner and DynamoDB Local, per operation. */
export async function cpuPerOperation(
  pids: { runner: number | undefined; dynamoDb: number | undefined },
  operations: number,
  work: () => Promise<void>,
): Promise<CpuShares | undefined> {
  const read = () => ({ client: process.cpuUsage(), runner: pids.runner && processCpuMs(pids.runner), dynamoDb: pids.dynamoDb && processCpuMs(pids.dynamoDb) });
  const before = read();
  await work();
  const after = read();
  if (typeof before.runner !== 'number' || typeof after.runner !== 'number' || typeof before.dynamoDb !== 'number' || typeof after.dynamoDb !== 'number') {
    return undefined;
  }
  const { user, system } = process.cpuUsage(before.client);
  const client = (user + system) / 1000 / operations;
  const runner = (after.runner - before.runner) / operations;
  const dynamoDb = (after.dynamoDb - before.dynamoDb) / operations;
  return { client, runner, dynamoDb, total: client + runner + dynamoDb };
}
