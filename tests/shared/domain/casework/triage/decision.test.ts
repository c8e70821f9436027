import { describe, expect, it } from 'vitest';
import { type DecisionInput, DecisionInputSchema, decisionIdFor, recordDecision } from '#domain/casework/index.js';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { decryptText } from '#domain/privacy/index.js';
import { StoredSignalSchema } from '#domain/signal/index.js';
import { storedSignal } from '../../../../support/stored-signal.js';
import { drentheKey, regionKey, triageWorld } from './memory-triage-write.js';

const id = storedSignal().signalId;
const onTable = storedSignal({ status: 'in-beoordeling', receivedAt: '2026-02-20T10:00:00.000Z' });
const now = () => new Date('2026-03-12T09:00:00Z');
const NOTE = 'Zorgcoördinator neemt contact op met de huisarts van betrokkene; politie TMM verkent de werkgever.';

const decide = (world: ReturnType<typeof triageWorld>, input: DecisionInput, extra: { idempotencyKey?: string; ifMatch?: string } = {}) =>
  recordDecision({ signalId: id, input, principal: regionKey, ...extra }, { ...world.ports, now });

describe('DecisionInputSchema', () => {
  const ok = { routes: ['zorg'], decidedOn: '2026-03-10' };
  const errorsOf = (body: object) => (DecisionInputSchema.safeParse(body).error?.issues ?? []).map((i) => `/${i.path.join('/')}: ${i.message}`);

  it('takes one or more distinct routes, a meeting date, a later follow-up date and a note', () => {
    expect(DecisionInputSchema.safeParse({ routes: ['zorg', 'riec'], decidedOn: '2026-03-10', reviewOn: '2026-04-07', note: NOTE }).success).toBe(true);
    expect(DecisionInputSchema.safeParse(ok).success).toBe(true);
  });

  it('refuses no route, a route twice, an unknown route, and unknown fields', () => {
    expect(errorsOf({ ...ok, routes: [] })).toEqual(['/routes: Kies minstens één route.']);
    expect(errorsOf({ ...ok, routes: ['zorg', 'zorg'] })).toEqual(['/routes: Noem elke route één keer.']);
    expect(errorsOf({ ...ok, routes: ['politie'] })[0]).toMatch(/^\/routes\/0: Kies routes uit: zorg, zorg-en-strafrecht, riec/);
    expect(DecisionInputSchema.safeParse({ ...ok, status: 'afgesloten' }).success).toBe(false);
  });

  it('refuses a meeting in the future or no date, and a follow-up not after the meeting', () => {
    const tomorrow = new Date(Date.now() + 36 * 3_600_000);
    expect(errorsOf({ ...ok, decidedOn: todayInNetherlands(tomorrow) })).toEqual(['/decidedOn: De vergaderdatum ligt in de toekomst.']);
    expect(errorsOf({ ...ok, decidedOn: '2026-02-30' })).toEqual(['/decidedOn: Geef een datum als JJJJ-MM-DD.']);
    expect(errorsOf({ ...ok, decidedOn: 'morgen' })).toEqual(['/decidedOn: Geef een datum als JJJJ-MM-DD.']);
    expect(errorsOf({ ...ok, reviewOn: '2026-03-10' })).toEqual(['/reviewOn: De vervolgdatum ligt na de vergaderdatum.']);
    expect(DecisionInputSchema.safeParse({ ...ok, decidedOn: todayInNetherlands() }).success).toBe(true);
  });

  it('refuses a note over 4000 characters, a blank one, and one with a lone surrogate', () => {
    expect(errorsOf({ ...ok, note: 'x'.repeat(4001) })).toEqual(['/note: Een notitie is hoogstens 4000 tekens.']);
    expect(DecisionInputSchema.safeParse({ ...ok, note: 'é'.repeat(4000) }).success).toBe(true);
    expect(errorsOf({ ...ok, note: '  \n' })).toHaveLength(1);
    expect(errorsOf({ ...ok, note: 'a\ud800b' })).toEqual(['/note: De notitie bevat een ongeldig teken.']);
  });
});

describe('recordDecision', () => {
  it('appends the decision, sets routes, follow-up and besproken, raises the version, and logs one decision entry', async () => {
    const world = triageWorld(onTable);
    const result = await decide(world, { routes: ['zorg-en-strafrecht', 'riec'], decidedOn: '2026-03-10', reviewOn: '2026-04-07' });
    expect(result).toMatchObject({
      ok: true,
      written: true,
      result: {
        replayed: false,
        decision: {
          routes: ['zorg-en-strafrecht', 'riec'],
          decidedOn: '2026-03-10',
          reviewOn: '2026-04-07',
          hasNote: false,
          organisation: regionKey.organisation,
        },
      },
    });
    const stored = world.store.signals.get(id)!;
    expect(stored).toMatchObject({
      status: 'besproken',
      routes: ['zorg-en-strafrecht', 'riec'],
      reviewOn: '2026-04-07',
      version: 2,
      changedAt: '2026-03-12T09:00:00.000Z',
    });
    expect(stored.decisions).toEqual([expect.objectContaining({ recordedAt: '2026-03-12T09:00:00.000Z' })]);
    expect(StoredSignalSchema.safeParse(stored).success).toBe(true);
    expect(world.log.entries).toEqual([
      expect.objectContaining({ action: 'decision', signalId: id, purpose: 'besluit van de tafel: zorg-en-strafrecht, riec' }),
    ]);
  });

  it('lets a later decision supersede: its routes count, and without a follow-up date the earlier one goes', async () => {
    const world = triageWorld(onTable);
    await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10', reviewOn: '2026-04-07' });
    const later = await decide(world, { routes: ['riec'], decidedOn: '2026-03-24' });
    expect(later).toMatchObject({ ok: true, result: { decision: { routes: ['riec'] } } });
    const stored = world.store.signals.get(id)!;
    expect(stored.routes).toEqual(['riec']);
    expect('reviewOn' in stored).toBe(false);
    expect(stored.decisions?.map((d) => d.routes)).toEqual([['zorg'], ['riec']]);
    expect(stored.version).toBe(3);
    expect(world.log.entries.map((e) => e.action)).toEqual(['decision', 'decision']);
  });

  it('refuses a decision of a meeting before the latest decision, or before the signal came in', async () => {
    const world = triageWorld(onTable);
    await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10' });
    expect(await decide(world, { routes: ['riec'], decidedOn: '2026-03-03' })).toMatchObject({
      ok: false,
      problem: { status: 422, errors: [{ pointer: '/decidedOn', detail: expect.stringContaining('2026-03-10') }] },
    });
    expect(await decide(triageWorld(onTable), { routes: ['riec'], decidedOn: '2026-02-19' })).toMatchObject({
      ok: false,
      problem: { status: 422, detail: 'De melding kwam binnen op 2026-02-20; de vergaderdatum ligt daarvoor.' },
    });
    expect(world.log.entries).toHaveLength(1);
  });

  it('takes a decision on an open or discussed signal, and refuses a withdrawn or closed one with a 409', async () => {
    for (const status of ['ontvangen', 'te-verrijken', 'in-beoordeling', 'besproken'] as const) {
      expect(await decide(triageWorld({ ...onTable, status }), { routes: ['advies'], decidedOn: '2026-03-10' })).toMatchObject({ ok: true });
    }
    for (const status of ['afgesloten', 'ingetrokken'] as const) {
      const world = triageWorld({ ...onTable, status });
      expect(await decide(world, { routes: ['advies'], decidedOn: '2026-03-10' })).toMatchObject({ ok: false, problem: { status: 409 } });
      expect(world.log.entries).toHaveLength(0);
    }
  });

  it('stores the note only encrypted, under a fresh data key, and answers only that there is one', async () => {
    const world = triageWorld(onTable);
    const result = await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10', note: NOTE });
    expect(result).toMatchObject({ ok: true, result: { decision: { hasNote: true } } });
    expect(JSON.stringify(result)).not.toContain('huisarts');
    const stored = world.store.signals.get(id)!;
    expect(JSON.stringify(stored)).not.toContain('huisarts');
    expect(JSON.stringify(world.log.entries)).not.toContain('huisarts');
    const note = stored.decisions![0]!.note!;
    expect(note.alg).toBe('AES-256-GCM');
    expect(await decryptText(note, world.dataKeys)).toBe(NOTE);
  });

  it('records a retried request with the same Idempotency-Key once, answering the first decision again, even after If-Match went stale', async () => {
    const world = triageWorld(onTable);
    const input: DecisionInput = { routes: ['zorg'], decidedOn: '2026-03-10', note: NOTE };
    const first = await decide(world, input, { idempotencyKey: 'tafel-2026-03-10-01', ifMatch: '"1"' });
    const retry = await decide(world, input, { idempotencyKey: 'tafel-2026-03-10-01', ifMatch: '"1"' });
    expect(first).toMatchObject({ ok: true, written: true, result: { replayed: false } });
    expect(retry).toMatchObject({ ok: true, written: false, result: { replayed: true } });
    if (!first.ok || !retry.ok) throw new Error('expected both to succeed');
    expect(retry.result.decision).toEqual(first.result.decision);
    expect(first.result.decision.decisionId).toBe(decisionIdFor(id, regionKey.organisation, 'tafel-2026-03-10-01'));
    expect(world.store.signals.get(id)?.decisions).toHaveLength(1);
    expect(world.log.entries).toHaveLength(1);
  });

  it('finds the retry even after a later decision superseded it, and refuses the same key for another decision', async () => {
    const world = triageWorld(onTable);
    await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10' }, { idempotencyKey: 'k-1' });
    await decide(world, { routes: ['riec'], decidedOn: '2026-03-24' }, { idempotencyKey: 'k-2' });
    expect(await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10' }, { idempotencyKey: 'k-1' })).toMatchObject({
      ok: true,
      result: { replayed: true, decision: { routes: ['zorg'] } },
    });
    expect(await decide(world, { routes: ['advies'], decidedOn: '2026-03-24' }, { idempotencyKey: 'k-1' })).toMatchObject({
      ok: false,
      problem: { status: 409, detail: 'Deze Idempotency-Key is al gebruikt voor een ander besluit over deze melding.' },
    });
    expect(world.store.signals.get(id)?.routes).toEqual(['riec']);
    expect(world.log.entries).toHaveLength(2);
  });

  it('records the same decision twice without an Idempotency-Key: each request is a decision', async () => {
    const world = triageWorld(onTable);
    await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10' });
    await decide(world, { routes: ['zorg'], decidedOn: '2026-03-10' });
    expect(world.store.signals.get(id)?.decisions).toHaveLength(2);
  });

  it('derives a different decision id per signal, organisation and key, each a UUID the record takes', () => {
    const a = decisionIdFor(id, 'A', 'k');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set([a, decisionIdFor(id, 'B', 'k'), decisionIdFor(id, 'A', 'k2'), decisionIdFor('6f1c1d2e-7a4b-4c8e-9f00-000000000002', 'A', 'k')]).size).toBe(
      4,
    );
  });

  it('encrypts the note once however often the write is tried', async () => {
    const world = triageWorld(onTable);
    let made = 0;
    const dataKeys = {
      generateDataKey: () => {
        made++;
        return world.dataKeys.generateDataKey();
      },
      decryptDataKey: world.dataKeys.decryptDataKey.bind(world.dataKeys),
    };
    world.writer.beforeWrite = async () => {
      world.writer.beforeWrite = undefined;
      await world.store.update(id, 1, { sector: 'horeca' });
    };
    const result = await recordDecision(
      { signalId: id, input: { routes: ['zorg'], decidedOn: '2026-03-10', note: NOTE }, principal: regionKey },
      { ...world.ports, dataKeys },
    );
    expect(result).toMatchObject({ ok: true, signal: { version: 3 } });
    expect(made).toBe(1);
  });

  it("answers 404 for a signal outside a province key's area", async () => {
    const world = triageWorld(storedSignal({ municipality: 'GM0014', province: 'GR', status: 'in-beoordeling' }));
    expect(await recordDecision({ signalId: id, input: { routes: ['zorg'], decidedOn: '2026-03-10' }, principal: drentheKey }, world.ports)).toMatchObject({
      ok: false,
      problem: { status: 404 },
    });
  });
});
