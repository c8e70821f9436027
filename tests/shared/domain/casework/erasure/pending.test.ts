import { describe, expect, it } from 'vitest';
import { MAX_PURPOSE_LENGTH } from '#domain/casework/audit/index.js';
import {
  ErasureRequestSchema,
  erasePerson,
  finishPendingErasures,
  IN_FLIGHT_NOTE,
  PENDING_ERASURE_DAYS,
  personIndexKeys,
} from '#domain/casework/erasure/index.js';
import { contributionOf } from '#domain/statistics/index.js';
import { privacyOfficer, World } from './world.js';

const JAN = { name: 'Jan de Vries', dateOfBirth: '1990-05-01', bsn: '111222333', phone: '0612345678', email: 'jan@example.nl' };
const PLAIN = ['Jan de Vries', 'Vries', '1990-05-01', '111222333', '612345678', 'jan@example.nl', 'Slaapt in de loods'];
const DAY = 86_400_000;

const request = (person: Record<string, string>, extra: object = {}) => ErasureRequestSchema.parse({ person, ...extra });

/**
 * A signal of Jan accepted (202) and left on the queue, then Jan's erasure a little later, with nothing
 * stored yet to erase; the clock then stands two days on, when the sweep runs.
 */
async function inFlightThenErased(world: World) {
  world.receiveFrom(new Date('2026-01-10T08:00:00Z'));
  const onQueue = await world.accept({ subject: JAN, description: 'Slaapt in de loods', externalId: 'EMN-7' });
  world.now = new Date('2026-01-10T09:00:00Z');
  const erasure = await erasePerson(request({ bsn: JAN.bsn }, { reference: 'AVG-2026-014' }), privacyOfficer, world.erasurePorts({ pending: world.pending }));
  expect(erasure).toMatchObject({ ok: true, result: { erased: 0 } });
  const erasedAt = world.now;
  world.now = new Date(erasedAt.getTime() + 2 * DAY);
  return { onQueue, erasedAt };
}

describe('erasePerson keeps a pending erasure', () => {
  it('writes exactly one, with the index keys, who asked and why, until 15 days after, and no plain identifier', async () => {
    const world = new World();
    await world.file({ subject: JAN, description: 'Slaapt in de loods' });
    const outcome = await erasePerson(request(JAN, { reference: 'AVG-2026-014' }), privacyOfficer, world.erasurePorts({ pending: world.pending }));
    expect(outcome).toMatchObject({ ok: true, result: { erased: 1 } });
    const pending = [...world.pending.items.values()];
    expect(pending).toEqual([
      {
        erasureId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        keys: await personIndexKeys(JAN, { current: async () => world.current }),
        erasedAt: world.now.toISOString(),
        organisation: privacyOfficer.organisation,
        keyHash: privacyOfficer.keyHash,
        purpose: 'Verzoek tot wissing van betrokkene (AVG art. 17); kenmerk AVG-2026-014',
        expiresAt: world.now.getTime() / 1000 + PENDING_ERASURE_DAYS * 86_400,
      },
    ]);
    for (const plain of PLAIN) expect(JSON.stringify(pending)).not.toContain(plain);
  });

  it('keeps none when it is given nowhere to keep it, as before', async () => {
    const world = new World();
    await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    expect(world.pending.items.size).toBe(0);
  });
});

describe('finishPendingErasures', () => {
  it('strips a signal received before the erasure but stored after it, with an erasure entry in the requester’s name, and unlinks it', async () => {
    const world = new World();
    const { onQueue } = await inFlightThenErased(world);
    const stored = await world.deliver(onQueue);
    const entriesBefore = world.log.entries.length;

    const report = await finishPendingErasures(world.pendingErasurePorts());

    expect(report).toEqual({ pending: 1, stripped: 1, kept: 0, orphanEntries: 0, expired: 0, deferred: 0 });
    const after = (await world.signals.get(stored.signalId))!;
    expect(after.subject?.pseudonyms).toEqual({});
    expect(after).not.toHaveProperty('description');
    expect(after).not.toHaveProperty('externalRef');
    expect(after.erasedAt).toBe(world.now.toISOString());
    // The counts are made of what stays.
    expect(contributionOf(after)).toEqual(contributionOf(stored));
    expect(await world.links.indexed(stored.signalId)).toBeUndefined();
    expect(world.links.keysHolding(stored.signalId)).toEqual([]);
    expect(world.log.entries.slice(entriesBefore).map((e) => [e.action, e.signalId, e.organisation, e.keyHash, e.purpose])).toEqual([
      [
        'erasure',
        stored.signalId,
        privacyOfficer.organisation,
        privacyOfficer.keyHash,
        `Verzoek tot wissing van betrokkene (AVG art. 17); kenmerk AVG-2026-014${IN_FLIGHT_NOTE}`,
      ],
    ]);
    for (const plain of PLAIN) expect(world.everything()).not.toContain(plain);
  });

  it('keeps a signal of the same person received after the erasure: a new report, left whole and linked', async () => {
    const world = new World();
    const { erasedAt } = await inFlightThenErased(world);
    world.receiveFrom(new Date(erasedAt.getTime() + 60_000));
    const later = await world.file({ subject: JAN, description: 'Opnieuw gezien' });
    const entriesBefore = world.log.entries.length;

    const report = await finishPendingErasures(world.pendingErasurePorts());

    expect(report).toMatchObject({ pending: 1, stripped: 0, kept: 1 });
    expect(await world.signals.get(later.signalId)).toEqual(later);
    expect(world.links.keysHolding(later.signalId).length).toBeGreaterThan(0);
    expect(world.log.entries.length).toBe(entriesBefore);
  });

  it('is idempotent: a second run strips, logs and unlinks nothing more', async () => {
    const world = new World();
    const { onQueue } = await inFlightThenErased(world);
    await world.deliver(onQueue);
    await finishPendingErasures(world.pendingErasurePorts());
    const before = world.everything();

    const again = await finishPendingErasures(world.pendingErasurePorts());

    expect(again).toEqual({ pending: 1, stripped: 0, kept: 0, orphanEntries: 0, expired: 0, deferred: 0 });
    expect(world.everything()).toBe(before);
  });

  it('keeps the pending erasure until its 15 days have passed, strips what arrived in a last run, then drops it', async () => {
    const world = new World();
    const { onQueue, erasedAt } = await inFlightThenErased(world);
    world.now = new Date(erasedAt.getTime() + 14 * DAY);
    expect(await finishPendingErasures(world.pendingErasurePorts())).toMatchObject({ pending: 1, expired: 0 });
    expect(world.pending.items.size).toBe(1);

    // Redriven from the dead-letter queue on its last day.
    const stored = await world.deliver(onQueue);
    world.now = new Date(erasedAt.getTime() + PENDING_ERASURE_DAYS * DAY);
    expect(await finishPendingErasures(world.pendingErasurePorts())).toMatchObject({ pending: 1, stripped: 1, expired: 1 });
    expect(world.pending.items.size).toBe(0);
    expect((await world.signals.get(stored.signalId))!.subject?.pseudonyms).toEqual({});
  });

  it('keeps a pending erasure it could not finish, past its time too, for the next run', async () => {
    const world = new World();
    const { onQueue, erasedAt } = await inFlightThenErased(world);
    await world.deliver(onQueue);
    world.now = new Date(erasedAt.getTime() + 20 * DAY);
    const ports = { ...world.pendingErasurePorts(), maxAttempts: 1 };
    // Every write finds the signal moved by another change.
    ports.writer = { head: () => world.writer.head(), write: async () => 'signal-moved' as const };

    const report = await finishPendingErasures(ports);

    expect(report).toMatchObject({ pending: 1, stripped: 0, expired: 0, deferred: 1 });
    expect(world.pending.items.size).toBe(1);
  });

  it('shortens a long purpose so that the note still fits the audit log’s limit', async () => {
    const world = new World();
    world.receiveFrom(new Date('2026-01-10T08:00:00Z'));
    const onQueue = await world.accept({ subject: { bsn: JAN.bsn } });
    world.now = new Date('2026-01-10T09:00:00Z');
    const reason = `Verzoek van betrokkene ${'x'.repeat(90)}`.slice(0, 120);
    await erasePerson(request({ bsn: JAN.bsn }, { reason, reference: 'A'.repeat(50) }), privacyOfficer, world.erasurePorts({ pending: world.pending }));
    await world.deliver(onQueue);

    await finishPendingErasures(world.pendingErasurePorts());

    const last = world.log.entries.at(-1)!;
    expect(last.signalId).toBe(onQueue.signalId);
    expect(last.purpose.length).toBeLessThanOrEqual(MAX_PURPOSE_LENGTH);
    expect(last.purpose.endsWith(IN_FLIGHT_NOTE)).toBe(true);
  });
});
