import { describe, expect, it } from 'vitest';
import {
  candidateCutoff,
  DEFAULT_RETENTION_DAYS,
  isRetentionDue,
  type RetentionPolicy,
  retentionEndOf,
  retentionPolicyFrom,
  sweepRetention,
} from '#domain/casework/erasure/index.js';
import { repeatInfo } from '#domain/linking/index.js';
import { contributionOf } from '#domain/statistics/index.js';
import { storedSignal } from '../../../../support/stored-signal.js';
import { World } from './world.js';

const policy: RetentionPolicy = { defaultDays: DEFAULT_RETENTION_DAYS, byRegion: {} };
const JAN = { bsn: '111222333', phone: '0612345678' };

describe('the retention policy', () => {
  it('reads the default and the regions’ own periods, and refuses an unknown region or a period that is not a positive whole number', () => {
    expect(retentionPolicyFrom(1825)).toEqual({ defaultDays: 1825, byRegion: {} });
    expect(retentionPolicyFrom(1825, '{"noord-nederland": 2555}')).toEqual({ defaultDays: 1825, byRegion: { 'noord-nederland': 2555 } });
    expect(() => retentionPolicyFrom(1825, '{"atlantis": 10}')).toThrow(/byRegion/);
    expect(() => retentionPolicyFrom(1825, '{"noord-nederland": 0}')).toThrow(/byRegion/);
    expect(() => retentionPolicyFrom(0)).toThrow(/defaultDays/);
    expect(() => retentionPolicyFrom(1.5)).toThrow(/defaultDays/);
  });

  it('counts five years from the last change, else from receipt, in the signal’s region, never short of five calendar years', () => {
    const received = storedSignal({ receivedAt: '2020-01-01T00:00:00.000Z' });
    // 2020 and 2024 are leap years: five years of 365 days would end two days early.
    expect(retentionEndOf(received, policy).toISOString()).toBe('2025-01-01T00:00:00.000Z');
    const changed = storedSignal({ receivedAt: '2020-01-01T00:00:00.000Z', changedAt: '2023-06-01T00:00:00.000Z' });
    expect(isRetentionDue(changed, policy, new Date('2025-01-01T00:00:00Z'))).toBe(false);
    expect(isRetentionDue(received, policy, new Date('2025-01-01T00:00:00Z'))).toBe(true);
    expect(isRetentionDue(received, { defaultDays: 1825, byRegion: { 'noord-nederland': 3650 } }, new Date('2025-01-01T00:00:00Z'))).toBe(false);
  });

  it('asks for candidates back to the shortest period of any region', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(candidateCutoff({ defaultDays: 1825, byRegion: { 'noord-nederland': 365 } }, now)).toBe('2025-01-01T00:00:00.000Z');
  });
});

describe('sweepRetention', () => {
  /** A world in which the first signal was filed long ago and the second just now. */
  async function ageing() {
    const world = new World();
    const old = await world.file({ organisation: 'Gemeente Emmen', subject: JAN, description: 'Slaapt in de loods' });
    const recent = await world.file({ organisation: 'Politie Drenthe', observedAt: '2025-12-01', subject: JAN, description: 'Opnieuw gezien' });
    // Five years and a day after the first was received; the second was received in the same minute, but changed since.
    world.now = new Date(Date.parse(old.receivedAt) + (DEFAULT_RETENTION_DAYS + 1) * 86_400_000);
    await world.signals.update(recent.signalId, recent.version, { changedAt: new Date(world.now.getTime() - 86_400_000).toISOString() });
    return { world, old, recent: (await world.signals.get(recent.signalId))! };
  }

  it('strips and unlinks a signal whose retention has passed and keeps one changed within it, the counts of both unchanged', async () => {
    const { world, old, recent } = await ageing();
    const report = await sweepRetention(policy, world.retentionPorts());
    expect(report).toEqual({ examined: 1, stripped: 1, unlinked: 1, expiryDropped: 0, skipped: 0, complete: true });
    const stripped = (await world.signals.get(old.signalId))!;
    expect(stripped).toMatchObject({ subject: { pseudonyms: {} }, erasedAt: world.now.toISOString(), version: old.version + 1 });
    expect(stripped).not.toHaveProperty('description');
    expect(world.links.keysHolding(old.signalId)).toEqual([]);
    expect(await world.signals.get(recent.signalId)).toEqual(recent);
    expect(contributionOf(stripped)).toEqual(contributionOf(old));
    // The recent signal no longer sees the stripped one as an earlier signal of its person.
    expect(await repeatInfo(recent.signalId, { links: world.links })).toMatchObject({ earlierSignals: 0 });
  });

  it('is idempotent: the next run finds nothing to do', async () => {
    const { world } = await ageing();
    await sweepRetention(policy, world.retentionPorts());
    const before = structuredClone([...world.signals.items.values()]);
    expect(await sweepRetention(policy, world.retentionPorts())).toEqual({
      examined: 0,
      stripped: 0,
      unlinked: 0,
      expiryDropped: 0,
      skipped: 0,
      complete: true,
    });
    expect([...world.signals.items.values()]).toEqual(before);
  });

  it('drops the whole-item expiry of a signal stored before the sweep, without counting that as a change', async () => {
    const world = new World();
    const signal = await world.file({ subject: JAN });
    await world.signals.update(signal.signalId, signal.version, { expiresAt: 1_900_000_000 });
    const report = await sweepRetention(policy, world.retentionPorts());
    expect(report).toMatchObject({ examined: 1, stripped: 0, expiryDropped: 1 });
    const after = (await world.signals.get(signal.signalId))!;
    expect(after).not.toHaveProperty('expiresAt');
    expect(after.changedAt).toBeUndefined();
    expect(after.subject).toEqual(signal.subject);
  });

  it('strips a signal again that gained a decision note after it was stripped, once that note’s retention has passed', async () => {
    const { world, old } = await ageing();
    await sweepRetention(policy, world.retentionPorts());
    const stripped = (await world.signals.get(old.signalId))!;
    const note = { alg: 'AES-256-GCM' as const, keyId: 'k', encryptedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', tag: 'AAAA' };
    const decision = {
      decisionId: '00000000-0000-4000-8000-00000000000a',
      routes: ['zorg' as const],
      decidedOn: '2026-01-01',
      note,
      recordedAt: world.now.toISOString(),
      organisation: 'Weegtafel',
    };
    await world.signals.update(old.signalId, stripped.version, { decisions: [decision], changedAt: new Date(world.now.getTime() + 1000).toISOString() });
    world.now = new Date(world.now.getTime() + (DEFAULT_RETENTION_DAYS + 1) * 86_400_000);
    expect(await sweepRetention(policy, world.retentionPorts())).toMatchObject({ stripped: 2 });
    expect((await world.signals.get(old.signalId))!.decisions![0]).not.toHaveProperty('note');
  });

  it('decides on the signal as it stands: one changed since it was read is kept', async () => {
    const { world, old } = await ageing();
    const ports = world.retentionPorts();
    const candidates = ports.candidates;
    ports.candidates = {
      async *pages(cutoff) {
        for await (const page of candidates.pages(cutoff)) {
          // A decision comes in between the read of the candidates and the sweep's decision.
          await world.signals.update(old.signalId, old.version, { changedAt: world.now.toISOString() });
          yield page;
        }
      },
    };
    expect(await sweepRetention(policy, ports)).toMatchObject({ examined: 1, stripped: 0 });
    expect((await world.signals.get(old.signalId))!.subject!.pseudonyms.bsn).toBeDefined();
  });

  it('stops at its deadline and says so; the next run goes on', async () => {
    const { world } = await ageing();
    expect(await sweepRetention(policy, world.retentionPorts(), { deadline: Date.now() - 1 })).toMatchObject({ examined: 0, complete: false });
    expect(await sweepRetention(policy, world.retentionPorts())).toMatchObject({ stripped: 1, complete: true });
  });

  it('takes the region’s own period: a longer one keeps the signal', async () => {
    const { world } = await ageing();
    expect(await sweepRetention({ defaultDays: 365, byRegion: { 'noord-nederland': 3650 } }, world.retentionPorts())).toMatchObject({
      examined: 1,
      stripped: 0,
    });
  });
});
