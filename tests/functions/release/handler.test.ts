import { describe, expect, it } from 'vitest';
import { MemoryReleases } from '../../support/memory-releases.js';
import { anotherSignal } from '../../support/stored-signal.js';
import { stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ STATISTICS_TABLE: 'statistics' });
const { releaseHandlerFor } = await import('../../../functions/release/handler.js');

const now = () => new Date('2026-06-01T06:00:00Z');

describe('the release function', () => {
  it('makes each region’s release when it is due, and says what it did', async () => {
    const store = new MemoryReleases();
    const run = releaseHandlerFor({ store, intervalMs: 0 }, ['noord-nederland'], now);
    expect(await run()).toEqual({ 'noord-nederland': 'not-due' });
    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal({ form: i % 2 ? 'arbeid' : 'seksueel' })); // not all in one cell (releasableChange)
    expect(await run()).toEqual({ 'noord-nederland': 'released' });
    expect(await run()).toEqual({ 'noord-nederland': 'not-due' });
  });

  it('lets a failing region keep no other from its release, and fails the run afterwards', async () => {
    const store = new MemoryReleases();
    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal({ form: i % 2 ? 'arbeid' : 'seksueel' })); // not all in one cell (releasableChange)
    // A region the geography does not know cannot be read; the one after it is released all the same.
    const run = releaseHandlerFor({ store, intervalMs: 0 }, ['atlantis', 'noord-nederland'], now);
    await expect(run()).rejects.toThrow(/public release failed for atlantis$/);
    expect(store.pointer).toBeDefined();
  });
});
