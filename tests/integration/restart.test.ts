import { afterAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

let stack: TestStack | undefined;
afterAll(() => stack?.stop());

describe('npm start on persisted data', () => {
  it('keeps keys, signals and counts across a restart, and the replayed stream counts nothing twice', async () => {
    stack = await TestStack.start({ inMemory: false });
    const { dataDir } = stack;
    const key = stack.key('signals:write');
    for (const form of ['seksueel', 'arbeid', 'crimineel']) {
      expect((await stack.post({ observedAt: '2015-03-01', municipality: 'GM0106', form })).status).toBe(202);
    }
    await stack.waitForStatistics('year=2015', (s) => s.total === 3);
    await stack.stop({ keepData: true });

    stack = await TestStack.start({ inMemory: false, dataDir });
    expect(stack.key('signals:write')).toBe(key);
    expect((await stack.post({ observedAt: '2015-04-01', municipality: 'GM0106', form: 'arbeid' })).status).toBe(202);
    await stack.settle();
    // The restarted aggregator reads the stream from its oldest record: every earlier record comes again.
    const deadline = Date.now() + 10_000;
    while ((stack.logs.match(/"outcome":"already-applied"/g) ?? []).length < 3 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((stack.logs.match(/"outcome":"already-applied"/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const stats = await stack.statistics('year=2015');
    expect(stats).toMatchObject({ total: 4, byForm: { seksueel: 1, arbeid: 2, crimineel: 1 }, byMunicipality: { GM0106: 4 } });
  });
});
