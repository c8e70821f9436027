import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_DAYS, ErasureRequestSchema, erasePerson } from '#domain/casework/erasure/index.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { privacyOfficer, World } from '../../shared/domain/casework/erasure/world.js';
import { stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', LINKS_TABLE: 'links', AUDIT_TABLE: 'audit' });
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

  it('first finishes the pending erasures: strips a signal that was on the queue when its person was erased, and answers both counts', async () => {
    const world = new World();
    world.receiveFrom(new Date('2026-01-10T08:00:00Z'));
    const onQueue = await world.accept({ subject: { bsn: '111222333' }, description: 'Slaapt in de loods' });
    world.now = new Date('2026-01-10T09:00:00Z');
    await erasePerson(ErasureRequestSchema.parse({ person: { bsn: '111222333' } }), privacyOfficer, world.erasurePorts({ pending: world.pending }));
    await world.deliver(onQueue);
    world.now = new Date('2026-01-11T02:30:00Z');

    const ports = world.retentionPorts({ erasures: world.pendingErasurePorts() });
    const report = await retentionSweepHandler(policy, ports)({}, lambdaContext('retention-sweep', 'eu-central-1', 60_000));

    expect(report).toEqual({
      examined: 0,
      stripped: 0,
      unlinked: 0,
      expiryDropped: 0,
      skipped: 0,
      complete: true,
      erasures: { pending: 1, stripped: 1, kept: 0, orphanEntries: 0, expired: 0, deferred: 0 },
    });
    expect(await world.signals.get(onQueue.signalId)).not.toHaveProperty('description');
    expect(world.log.entries.at(-1)).toMatchObject({ action: 'erasure', signalId: onQueue.signalId, organisation: privacyOfficer.organisation });
  });
});
