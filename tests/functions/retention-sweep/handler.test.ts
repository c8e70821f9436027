import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_DAYS } from '#domain/casework/erasure/index.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { World } from '../../shared/domain/casework/erasure/world.js';
import { stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', LINKS_TABLE: 'links' });
const { retentionSweepHandler } = await import('../../../functions/retention-sweep/handler.js');

const policy = { defaultDays: DEFAULT_RETENTION_DAYS, byRegion: {} };

describe('the retention sweep function', () => {
  it('strips the signals whose retention has passed and answers its counts', async () => {
    const world = new World();
    const signal = await world.file({ subject: { bsn: '111222333' }, description: 'Slaapt in de loods' });
    world.now = new Date(Date.parse(signal.receivedAt) + (DEFAULT_RETENTION_DAYS + 1) * 86_400_000);
    const report = await retentionSweepHandler(policy, world.retentionPorts())({}, lambdaContext('retention-sweep', 'eu-central-1', 60_000));
    expect(report).toEqual({ examined: 1, stripped: 1, unlinked: 1, expiryDropped: 0, skipped: 0, complete: true });
    expect(await world.signals.get(signal.signalId)).not.toHaveProperty('description');
  });

  it('stops before the function’s own timeout, leaving the rest to the next run', async () => {
    const world = new World();
    const signal = await world.file({ subject: { bsn: '111222333' } });
    world.now = new Date(Date.parse(signal.receivedAt) + (DEFAULT_RETENTION_DAYS + 1) * 86_400_000);
    const report = await retentionSweepHandler(policy, world.retentionPorts())({}, lambdaContext('retention-sweep', 'eu-central-1', 10_000));
    expect(report).toMatchObject({ examined: 0, complete: false });
  });
});
