import { describe, expect, it } from 'vitest';
import { enrichmentPurpose, enrichSignal, PurposeSchema, planEnrichment, TriageEnrichmentSchema, verifyChain } from '#domain/casework/index.js';
import { ROUTES } from '#domain/signal/index.js';
import { anotherSignal, storedSignal } from '../../../../support/stored-signal.js';
import { drentheKey, KEY_HASH, regionKey, triageWorld } from './memory-triage-write.js';

/** An e-mail without the template: nothing known but that it came, where from and when. */
const untemplated = storedSignal({ channel: 'email', status: 'te-verrijken', municipality: 'onbekend', province: 'onbekend', form: 'onbekend' });
const now = () => new Date('2026-03-12T09:00:00Z');

describe('TriageEnrichmentSchema', () => {
  it('takes the classification fields and any status, and refuses the person, the text, unknown fields and an empty body', () => {
    expect(TriageEnrichmentSchema.safeParse({ municipality: 'GM0114', form: 'arbeid', status: 'in-beoordeling' }).success).toBe(true);
    expect(TriageEnrichmentSchema.safeParse({ status: 'besproken' }).success).toBe(true);
    for (const body of [{}, { subject: { name: 'x' } }, { description: 'x' }, { routes: ['zorg'] }, { status: 'klaar' }, { municipality: 'GM9999' }]) {
      expect(TriageEnrichmentSchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe('planEnrichment', () => {
  it('fills in an untemplated e-mail: the municipality places the province, and only what differs is a change', () => {
    const plan = planEnrichment(untemplated, { municipality: 'GM0114', form: 'arbeid', signalType: 'melding', status: 'in-beoordeling' }, regionKey);
    expect(plan).toEqual({
      outcome: 'change',
      changes: { municipality: 'GM0114', province: 'DR', form: 'arbeid', status: 'in-beoordeling' },
      remove: [],
      fields: ['municipality', 'province', 'form', 'status'],
    });
  });

  it('changes nothing when the request asks for what the signal already is', () => {
    expect(planEnrichment(storedSignal(), { municipality: 'GM0114', form: 'arbeid', status: 'ontvangen' }, regionKey)).toEqual({ outcome: 'unchanged' });
  });

  it('refuses a forbidden move with the 409 of the transition table', () => {
    const plan = planEnrichment(storedSignal({ status: 'afgesloten' }), { form: 'seksueel', status: 'ingetrokken' }, regionKey);
    expect(plan).toMatchObject({ outcome: 'refused', problem: { status: 409, detail: expect.stringContaining('status afgesloten') } });
  });

  it('refuses a province that does not fit the municipality with a 422 at /province', () => {
    expect(planEnrichment(storedSignal(), { province: 'FR' }, regionKey)).toMatchObject({
      outcome: 'refused',
      problem: { status: 422, errors: [{ pointer: '/province' }] },
    });
  });

  it("lets a region's key move a signal to another province, and a province's key not", () => {
    expect(planEnrichment(storedSignal(), { municipality: 'GM0014' }, regionKey)).toMatchObject({ changes: { municipality: 'GM0014', province: 'GR' } });
    expect(planEnrichment(storedSignal(), { municipality: 'GM0014' }, drentheKey)).toMatchObject({
      outcome: 'refused',
      problem: { status: 422, errors: [{ pointer: '/municipality', detail: expect.stringContaining('buiten het gebied van uw sleutel (DR)') }] },
    });
  });

  it('takes each additional form once, and an empty list removes them', () => {
    expect(planEnrichment(storedSignal(), { additionalForms: ['seksueel', 'seksueel', 'crimineel'] }, regionKey)).toMatchObject({
      changes: { additionalForms: ['seksueel', 'crimineel'] },
    });
    expect(planEnrichment(storedSignal({ additionalForms: ['seksueel'] }), { additionalForms: [] }, regionKey)).toEqual({
      outcome: 'change',
      changes: {},
      remove: ['additionalForms'],
      fields: ['additionalForms'],
    });
    expect(planEnrichment(storedSignal(), { additionalForms: [] }, regionKey)).toEqual({ outcome: 'unchanged' });
  });
});

describe('enrichSignal', () => {
  it('raises the version, sets changedAt, and appends one enrichment entry naming the fields, never their values', async () => {
    const world = triageWorld(untemplated);
    const result = await enrichSignal(untemplated.signalId, { municipality: 'GM0114', form: 'arbeid' }, regionKey, undefined, { ...world.ports, now });
    expect(result).toMatchObject({ ok: true, written: true, result: { municipality: 'GM0114', province: 'DR', form: 'arbeid', version: 2 } });
    expect(world.store.signals.get(untemplated.signalId)).toMatchObject({ version: 2, municipality: 'GM0114', changedAt: '2026-03-12T09:00:00.000Z' });
    expect(world.log.entries).toEqual([
      expect.objectContaining({
        sequence: 1,
        action: 'enrichment',
        signalId: untemplated.signalId,
        keyHash: KEY_HASH,
        organisation: regionKey.organisation,
        purpose: 'verrijking: municipality, province, form',
      }),
    ]);
    expect(JSON.stringify(world.log.entries)).not.toContain('GM0114');
  });

  it('writes nothing and logs nothing when nothing changes', async () => {
    const world = triageWorld(storedSignal());
    const result = await enrichSignal(storedSignal().signalId, { form: 'arbeid' }, regionKey, undefined, world.ports);
    expect(result).toMatchObject({ ok: true, written: false, result: { version: 1 } });
    expect(world.writer.writes).toBe(0);
    expect(world.log.entries).toHaveLength(0);
  });

  it("answers 404 for a signal outside the key's area, as for an unknown one, and logs nothing", async () => {
    const groningen = anotherSignal({ municipality: 'GM0014', province: 'GR' });
    const world = triageWorld(groningen);
    for (const id of [groningen.signalId, '00000000-0000-4000-8000-999999999999']) {
      expect(await enrichSignal(id, { form: 'seksueel' }, drentheKey, undefined, world.ports)).toMatchObject({ ok: false, problem: { status: 404 } });
    }
    expect(world.log.entries).toHaveLength(0);
  });

  it('goes ahead with If-Match of the current version, and answers 412 naming the current one otherwise', async () => {
    const world = triageWorld(storedSignal({ version: 3 }));
    const id = storedSignal().signalId;
    expect(await enrichSignal(id, { form: 'seksueel' }, regionKey, '"2"', world.ports)).toMatchObject({
      ok: false,
      problem: { status: 412, detail: expect.stringContaining('versie 3') },
    });
    expect(await enrichSignal(id, { form: 'seksueel' }, regionKey, 'W/"3"', world.ports)).toMatchObject({ ok: false, problem: { status: 412 } });
    expect(await enrichSignal(id, { form: 'seksueel' }, regionKey, '"3"', world.ports)).toMatchObject({ ok: true, result: { version: 4 } });
    expect(await enrichSignal(id, { form: 'crimineel' }, regionKey, '*', world.ports)).toMatchObject({ ok: true, result: { version: 5 } });
    expect(world.log.entries).toHaveLength(2);
  });

  it('decides on the signal as it stands: a change that crossed it is read again, and the move checked anew', async () => {
    const world = triageWorld(storedSignal());
    const id = storedSignal().signalId;
    // Another writer closes the way: while this enrichment is on its way the signal is discussed and closed.
    world.writer.beforeWrite = async () => {
      world.writer.beforeWrite = undefined;
      await world.store.update(id, 1, { status: 'afgesloten' });
    };
    const result = await enrichSignal(id, { status: 'ingetrokken' }, regionKey, undefined, world.ports);
    expect(result).toMatchObject({ ok: false, problem: { status: 409, detail: expect.stringContaining('status afgesloten') } });
    expect(world.log.entries).toHaveLength(0);
  });

  it('answers 412, not a silent overwrite, when the signal moved under an If-Match', async () => {
    const world = triageWorld(storedSignal());
    const id = storedSignal().signalId;
    world.writer.beforeWrite = async () => {
      world.writer.beforeWrite = undefined;
      await world.store.update(id, 1, { form: 'crimineel' });
    };
    expect(await enrichSignal(id, { form: 'seksueel' }, regionKey, '"1"', world.ports)).toMatchObject({ ok: false, problem: { status: 412 } });
    expect(world.store.signals.get(id)).toMatchObject({ form: 'crimineel', version: 2 });
  });

  it('keeps the chain intact over several enrichments', async () => {
    const world = triageWorld(untemplated);
    const id = untemplated.signalId;
    await enrichSignal(id, { municipality: 'GM0114' }, regionKey, undefined, world.ports);
    await enrichSignal(id, { status: 'in-beoordeling' }, regionKey, undefined, world.ports);
    await enrichSignal(id, { status: 'te-verrijken', sector: 'horeca' }, regionKey, undefined, world.ports);
    expect(world.log.entries.map((e) => e.purpose)).toEqual(['verrijking: municipality, province', 'verrijking: status', 'verrijking: sector, status']);
    expect(verifyChain(world.log.entries, await world.log.head())).toEqual({ intact: true, count: 3 });
    expect(world.store.signals.get(id)).toMatchObject({ version: 4, status: 'te-verrijken', sector: 'horeca' });
  });

  it('writes purposes the audit log would take from anyone: all eight fields, and every route', () => {
    const all = enrichmentPurpose(['municipality', 'province', 'exploitationMunicipality', 'form', 'additionalForms', 'signalType', 'sector', 'status']);
    expect(PurposeSchema.safeParse(all)).toEqual({ success: true, data: all });
    const routes = `besluit van de tafel: ${ROUTES.join(', ')}`;
    expect(PurposeSchema.safeParse(routes)).toEqual({ success: true, data: routes });
  });
});
