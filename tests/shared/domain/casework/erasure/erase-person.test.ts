import { describe, expect, it } from 'vitest';
import { ErasureRequestSchema, erasePerson, personIndexKeys } from '#domain/casework/erasure/index.js';
import { repeatInfo } from '#domain/linking/index.js';
import type { PseudonymKey } from '#domain/privacy/index.js';
import { contributionOf } from '#domain/statistics/index.js';
import { privacyOfficer, World } from './world.js';

const JAN = { name: 'Jan de Vries', dateOfBirth: '1990-05-01', bsn: '111222333', phone: '0612345678', email: 'jan@example.nl' };
const PIET = { bsn: '123456782', phone: '0687654321' };
const PLAIN = ['Jan de Vries', 'Vries', '1990-05-01', '111222333', '612345678', 'jan@example.nl', 'Werkt zeven dagen'];
const nextKey: PseudonymKey = { keyId: 'test-2', secret: Buffer.alloc(32, 9) };

const request = (person: Record<string, string>, extra: object = {}) => ErasureRequestSchema.parse({ person, ...extra });

describe('erasePerson', () => {
  it('strips and unlinks every signal of the person, filed by two organisations through two channels, and leaves another person alone', async () => {
    const world = new World();
    const api = await world.file({
      organisation: 'Gemeente Emmen',
      channel: 'api',
      subject: JAN,
      description: 'Werkt zeven dagen per week',
      externalId: 'EMN-1',
    });
    const mail = await world.file({ organisation: 'Politie Drenthe', channel: 'email', observedAt: '2024-06-01', subject: { bsn: JAN.bsn } });
    const other = await world.file({ organisation: 'Gemeente Assen', subject: PIET, description: 'Iemand anders' });

    const outcome = await erasePerson(request({ bsn: JAN.bsn }, { reference: 'AVG-2026-014' }), privacyOfficer, world.erasurePorts());

    expect(outcome).toEqual({
      ok: true,
      result: { erased: 2, signalIds: [api.signalId, mail.signalId].sort(), erasedAt: world.now.toISOString() },
      orphanEntries: 0,
    });
    for (const { signalId } of [api, mail]) {
      const after = (await world.signals.get(signalId))!;
      expect(after.subject?.pseudonyms).toEqual({});
      expect(after.subject?.matchKeys).toBeUndefined();
      expect(after).not.toHaveProperty('description');
      expect(after).not.toHaveProperty('externalRef');
      expect(after.erasedAt).toBe(world.now.toISOString());
      expect(await world.links.indexed(signalId)).toBeUndefined();
      expect(world.links.keysHolding(signalId)).toEqual([]);
    }
    // The other person's signal is as it was.
    expect(await world.signals.get(other.signalId)).toEqual(other);
    expect(world.links.keysHolding(other.signalId)).toHaveLength(2);
    for (const plain of PLAIN) expect(world.everything()).not.toContain(plain);
  });

  it('appends one erasure entry per signal, with the reference and without personal data', async () => {
    const world = new World();
    const first = await world.file({ subject: JAN });
    const second = await world.file({ organisation: 'Politie Drenthe', subject: { phone: JAN.phone } });
    await erasePerson(
      request({ phone: '+31 6 12345678' }, { reason: 'Verzoek van betrokkene', reference: 'AVG-2026-014' }),
      privacyOfficer,
      world.erasurePorts(),
    );
    expect(world.log.entries.map((e) => [e.action, e.signalId, e.purpose, e.organisation, e.keyHash])).toEqual(
      [first, second]
        .map((s) => s.signalId)
        .sort()
        .map((id) => ['erasure', id, 'Verzoek van betrokkene; kenmerk AVG-2026-014', privacyOfficer.organisation, privacyOfficer.keyHash]),
    );
  });

  it('is idempotent: a repeat finds nothing more, changes no signal and logs the request once, without a signal', async () => {
    const world = new World();
    const signal = await world.file({ subject: JAN });
    await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    const before = structuredClone([...world.signals.items.values()]);
    const again = await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    expect(again).toMatchObject({ ok: true, result: { erased: 0, signalIds: [] } });
    expect([...world.signals.items.values()]).toEqual(before);
    expect(world.log.entries.map((e) => e.signalId)).toEqual([signal.signalId, null]);
    expect(world.log.entries[1]!.purpose).toBe('Verzoek tot wissing van betrokkene (AVG art. 17)');
  });

  it('finds a signal filed before a key rotation, by its pseudonyms under the previous key, and one filed after, by its own', async () => {
    const world = new World();
    const before = await world.file({ subject: { name: JAN.name, dateOfBirth: JAN.dateOfBirth } });
    world.rotate(nextKey);
    const after = await world.file({ organisation: 'Politie Drenthe', subject: { email: JAN.email } });
    expect(before.subject!.keyId).toBe('test-1');
    expect(after.subject!.keyId).toBe('test-2');
    const outcome = await erasePerson(request({ name: 'jan de vries', dateOfBirth: JAN.dateOfBirth, email: JAN.email }), privacyOfficer, world.erasurePorts());
    expect(outcome).toMatchObject({ ok: true, result: { erased: 2 } });
    expect(world.links.own.size).toBe(0);
  });

  it('looks under the current key and every previous one, made from the identifiers alone', async () => {
    const world = new World();
    world.rotate(nextKey);
    const keys = await personIndexKeys(request({ bsn: JAN.bsn, name: JAN.name }).person, world.erasurePorts().pseudonymKeys);
    // A name alone is no match key: the BSN under both keys.
    expect(keys).toHaveLength(2);
    expect(keys.map((k) => k.split('#').slice(1, 3).join('#')).sort()).toEqual(['test-1#bsn', 'test-2#bsn']);
  });

  it('leaves the person unlinkable: a new signal with the same identifiers links to none of the erased ones', async () => {
    const world = new World();
    await world.file({ subject: JAN });
    await world.file({ organisation: 'Politie Drenthe', observedAt: '2024-04-01', subject: JAN });
    await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    const fresh = await world.file({ organisation: 'Veilig Thuis', observedAt: '2025-01-10', subject: JAN });
    expect(await repeatInfo(fresh.signalId, { links: world.links })).toEqual({ earlierSignals: 0, organisations: 0, complete: true });
  });

  it('keeps every signal counted as it was', async () => {
    const world = new World();
    const signals = [await world.file({ subject: JAN }), await world.file({ subject: { ...JAN, gender: 'm', nationality: 'PL' } })];
    await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    for (const signal of signals) expect(contributionOf((await world.signals.get(signal.signalId))!)).toEqual(contributionOf(signal));
  });

  it('decides again on a signal that another change moved meanwhile, and strips it on top of that change', async () => {
    const world = new World();
    const signal = await world.file({ subject: JAN });
    world.writer.beforeWrite = async () => {
      await world.signals.update(signal.signalId, signal.version, { form: 'crimineel' });
    };
    const outcome = await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    expect(outcome).toMatchObject({ ok: true, result: { erased: 1 } });
    expect(await world.signals.get(signal.signalId)).toMatchObject({ form: 'crimineel', version: 3, subject: { pseudonyms: {} } });
    expect(world.log.entries).toHaveLength(1);
  });

  it('finishes a run that stopped between stripping and unlinking: the signal is unlinked and logged again, not changed again', async () => {
    const world = new World();
    const signal = await world.file({ subject: JAN });
    // As if the strip had been written and the process had died before unlinking.
    const crashing = Object.assign(Object.create(world.links) as typeof world.links, { indexed: async () => Promise.reject(new Error('crash')) });
    const failing = world.erasurePorts({ links: crashing });
    await expect(erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, failing)).rejects.toThrow('crash');
    const stripped = (await world.signals.get(signal.signalId))!;
    expect(stripped.subject!.pseudonyms).toEqual({});
    expect(world.links.keysHolding(signal.signalId)).not.toEqual([]);

    const outcome = await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    expect(outcome).toMatchObject({ ok: true, result: { erased: 1, signalIds: [signal.signalId] } });
    expect((await world.signals.get(signal.signalId))!.version).toBe(stripped.version);
    expect(world.links.keysHolding(signal.signalId)).toEqual([]);
    expect(world.log.entries.map((e) => e.signalId)).toEqual([signal.signalId, signal.signalId]);
  });

  it('removes entries of a signal that is gone, without counting it, and comes to an end', async () => {
    const world = new World();
    const signal = await world.file({ subject: { bsn: JAN.bsn } });
    world.signals.items.delete(signal.signalId);
    await world.links.forget(signal.signalId);
    const outcome = await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts());
    expect(outcome).toMatchObject({ ok: true, result: { erased: 0 }, orphanEntries: 1 });
    expect(world.links.byKey.size).toBe(0);
  });

  it('erases more signals than one read of the index holds', async () => {
    const world = new World();
    for (let i = 0; i < 260; i++) await world.file({ observedAt: '2024-03-05', subject: { phone: JAN.phone } });
    const outcome = await erasePerson(request({ phone: JAN.phone }), privacyOfficer, world.erasurePorts());
    expect(outcome).toMatchObject({ ok: true, result: { erased: 260 } });
    expect(world.links.byKey.size).toBe(0);
  });

  it('answers 503 when the log stays too busy, having stripped nothing without its entry', async () => {
    const world = new World();
    const signal = await world.file({ subject: JAN });
    const busy = { head: () => world.writer.head(), write: async () => 'log-moved' as const };
    const outcome = await erasePerson(request({ bsn: JAN.bsn }), privacyOfficer, world.erasurePorts({ writer: busy, maxAttempts: 2 }));
    expect(outcome).toMatchObject({ ok: false, problem: { status: 503 } });
    expect(await world.signals.get(signal.signalId)).toEqual(signal);
    expect(world.log.entries).toEqual([]);
  });
});

describe('ErasureRequestSchema', () => {
  it('takes the identifiers a subject has, validated as at intake', () => {
    expect(ErasureRequestSchema.safeParse({ person: { bsn: '111222333' } }).success).toBe(true);
    expect(ErasureRequestSchema.safeParse({ person: { bsn: '111222334' } }).error?.issues[0]?.path).toEqual(['person', 'bsn']);
    expect(ErasureRequestSchema.safeParse({ person: { phone: 'geen' } }).success).toBe(false);
    expect(ErasureRequestSchema.safeParse({ person: { email: JAN.email, gender: 'm' } }).success).toBe(false);
  });

  it('refuses a name or a birth date alone, and no identifier at all', () => {
    expect(ErasureRequestSchema.safeParse({ person: { name: JAN.name } }).error?.issues[0]?.path).toEqual(['person', 'dateOfBirth']);
    expect(ErasureRequestSchema.safeParse({ person: { dateOfBirth: JAN.dateOfBirth } }).error?.issues[0]?.path).toEqual(['person', 'name']);
    expect(ErasureRequestSchema.safeParse({ person: {} }).success).toBe(false);
    expect(ErasureRequestSchema.safeParse({}).success).toBe(false);
  });

  it('refuses personal data in the reason or the reference, which go into the audit log', () => {
    const person = { bsn: JAN.bsn };
    expect(ErasureRequestSchema.safeParse({ person, reason: 'Verzoek van 111222333' }).error?.issues[0]).toMatchObject({
      path: ['reason'],
      message: expect.stringContaining('Dit lijkt een BSN te bevatten'),
    });
    expect(ErasureRequestSchema.safeParse({ person, reference: 'jan@example.nl' }).success).toBe(false);
    expect(ErasureRequestSchema.safeParse({ person, reference: '111222333' }).success).toBe(false);
    expect(ErasureRequestSchema.safeParse({ person, reason: 'a\nb c' }).success).toBe(false);
    expect(ErasureRequestSchema.safeParse({ person, reason: 'Verzoek betrokkene', reference: 'AVG-2026/014' }).success).toBe(true);
  });
});
