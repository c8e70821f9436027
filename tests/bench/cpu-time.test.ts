import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuMeter, dynamoDbLocalPid, processCpuMs } from './cpu-time.js';

/** Spins until this process has used `ms` more CPU time: wall time would be less on a busy machine. */
const busy = (ms: number) => {
  const start = process.cpuUsage();
  for (;;) {
    const { user, system } = process.cpuUsage(start);
    if (user + system >= ms * 1000) return;
  }
};

describe.runIf(process.platform === 'linux')('processCpuMs', () => {
  it("reads a process's CPU time from /proc, growing as the process works", () => {
    const before = processCpuMs(process.pid)!;
    busy(200);
    expect(processCpuMs(process.pid)! - before).toBeGreaterThanOrEqual(100);
  });

  it('gives undefined for a process that does not exist', () => {
    expect(processCpuMs(2 ** 22 + 1)).toBeUndefined();
  });

  it('adds up what rounds of work cost, per operation, for the client, the runner and DynamoDB Local', async () => {
    // This process stands in for all three: each share is then the whole work's cost.
    const meter = new CpuMeter({ runner: process.pid, dynamoDb: process.pid });
    await meter.measure(async () => busy(100));
    expect(
      await meter.measure(async () => {
        busy(100);
        return 'done';
      }),
    ).toBe('done');
    const shares = meter.perOperation(10)!;
    expect(shares.client).toBeGreaterThanOrEqual(15);
    expect(shares.runner).toBeGreaterThanOrEqual(10);
    expect(shares.total).toBeCloseTo(shares.client + shares.runner + shares.dynamoDb);
  });
});

describe('dynamoDbLocalPid', () => {
  it('reads the pid the runner notes in its data directory, and gives undefined without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'meldroute-cpu-'));
    expect(dynamoDbLocalPid(dir)).toBeUndefined();
    writeFileSync(join(dir, 'dynamodb-local.pid'), JSON.stringify({ pid: 4242, port: 8000, runner: 1 }));
    expect(dynamoDbLocalPid(dir)).toBe(4242);
  });
});

describe('CpuMeter', () => {
  it('gives undefined when a process cannot be read', async () => {
    const meter = new CpuMeter({ runner: undefined, dynamoDb: undefined });
    await meter.measure(async () => undefined);
    expect(meter.perOperation(1)).toBeUndefined();
  });
});
