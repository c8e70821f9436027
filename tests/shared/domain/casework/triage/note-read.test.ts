import { describe, expect, it } from 'vitest';
import { NoteQuerySchema, readNote } from '#domain/casework/index.js';
import { encryptText } from '#domain/privacy/index.js';
import type { Decision, StoredSignal } from '#domain/signal/index.js';
import { DRENTHE_KEY, personalSignal, REGION_KEY, ReadWorld } from './read-world.js';

const NOTE = 'Zorgcoördinator belt de werkgever aan de Kerkstraat; TMM kijkt mee.';
const WITH_NOTE = '11111111-1111-4111-8111-111111111111';
const WITHOUT_NOTE = '22222222-2222-4222-8222-222222222222';

async function world() {
  const w = new ReadWorld();
  const decision = (decisionId: string, note?: Decision['note']): Decision => ({
    decisionId,
    routes: ['zorg'],
    decidedOn: '2026-03-10',
    recordedAt: '2026-03-10T12:00:00.000Z',
    organisation: DRENTHE_KEY.organisation,
    ...(note && { note }),
  });
  const decided = (signal: StoredSignal, decisions: Decision[]): StoredSignal => ({ ...signal, status: 'besproken', decisions });
  const [emmen, groningen] = await w.add(
    decided(personalSignal('anna'), [decision(WITH_NOTE, await encryptText(NOTE, w.dataKeys)), decision(WITHOUT_NOTE)]),
    decided(personalSignal('cora', { municipality: 'GM0014', province: 'GR' }), [decision(WITH_NOTE, await encryptText(NOTE, w.dataKeys))]),
  );
  return { w, emmen: emmen!, groningen: groningen! };
}

describe('readNote', () => {
  it('decrypts the note once the read, its purpose and the decision are in the audit log', async () => {
    const { w, emmen } = await world();
    const { dataKeys, entriesAtUnwrap } = w.watchedDataKeys();
    const read = await readNote(emmen.signalId, WITH_NOTE, DRENTHE_KEY, 'Voorbereiding weegtafel 24 maart', { ...w.ports, dataKeys });
    // Unwrapped once, with the entry already in.
    expect(entriesAtUnwrap).toEqual([1]);
    expect(read).toEqual({ ok: true, value: { signalId: emmen.signalId, decisionId: WITH_NOTE, note: NOTE } });
    expect(w.audit.entries).toEqual([
      expect.objectContaining({
        action: 'note-read',
        signalId: emmen.signalId,
        decisionId: WITH_NOTE,
        purpose: 'Voorbereiding weegtafel 24 maart',
        keyHash: DRENTHE_KEY.keyHash,
      }),
    ]);
    // The entry names the decision and the purpose, never the note.
    expect(JSON.stringify(w.audit.entries)).not.toContain('Kerkstraat');
  });

  it('decrypts nothing when the look cannot be logged', async () => {
    const { w, emmen } = await world();
    const { dataKeys, entriesAtUnwrap } = w.watchedDataKeys();
    const busyLog = Object.assign(Object.create(w.audit), { append: async () => false });
    const read = await readNote(emmen.signalId, WITH_NOTE, DRENTHE_KEY, 'Weegtafel', { ...w.ports, audit: busyLog, dataKeys });
    expect(read).toMatchObject({ ok: false, problem: { status: 503 } });
    expect(entriesAtUnwrap).toEqual([]);
  });

  it('answers a 404 decision-not-found for a decision the signal does not have, and logs nothing', async () => {
    const { w, emmen, groningen } = await world();
    expect(await readNote(emmen.signalId, '33333333-3333-4333-8333-333333333333', DRENTHE_KEY, 'Weegtafel', w.ports)).toMatchObject({
      ok: false,
      problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/decision-not-found', title: 'Besluit niet gevonden' },
    });
    // A decision of another signal (Emmen's) is no decision of this one.
    expect(await readNote(groningen.signalId, WITHOUT_NOTE, REGION_KEY, 'Weegtafel', w.ports)).toMatchObject({
      problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/decision-not-found' },
    });
    expect(w.audit.entries).toEqual([]);
  });

  it('answers a 404 no-note for a decision without a note, and logs nothing: nothing was read', async () => {
    const { w, emmen } = await world();
    expect(await readNote(emmen.signalId, WITHOUT_NOTE, DRENTHE_KEY, 'Weegtafel', w.ports)).toMatchObject({
      ok: false,
      problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/no-note', detail: 'Bij dit besluit is geen notitie vastgelegd, of die is gewist.' },
    });
    expect(w.audit.entries).toEqual([]);
  });

  it('answers not-found for a signal outside the key area (a Drenthe key, a Groningen signal), logs and unwraps nothing', async () => {
    const { w, groningen } = await world();
    const { dataKeys, entriesAtUnwrap } = w.watchedDataKeys();
    expect(await readNote(groningen.signalId, WITH_NOTE, DRENTHE_KEY, 'Weegtafel', { ...w.ports, dataKeys })).toMatchObject({
      ok: false,
      problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/not-found' },
    });
    expect(entriesAtUnwrap).toEqual([]);
    expect(w.audit.entries).toEqual([]);
  });

  it('reads a Groningen note for the region key, whose area holds every province', async () => {
    const { w, groningen } = await world();
    expect(await readNote(groningen.signalId, WITH_NOTE, REGION_KEY, 'Weegtafel', w.ports)).toMatchObject({ ok: true, value: { note: NOTE } });
  });
});

describe('NoteQuerySchema', () => {
  it('requires a purpose without personal data, in Dutch', () => {
    expect(NoteQuerySchema.safeParse({}).error?.issues[0]).toMatchObject({
      path: ['purpose'],
      message: 'Geef het doel op: waarom deze inzage of handeling nodig is.',
    });
    expect(NoteQuerySchema.safeParse({ purpose: 'Dossier 111222333' }).error?.issues[0]?.message).toMatch(/Noem in het doel geen persoonsgegevens/);
  });
});
