import { describe, expect, it } from 'vitest';
import {
  appendAudit,
  DEFAULT_TRIAGE_PURPOSE,
  enrichmentPurpose,
  MAX_HISTORY_EVENTS,
  readTriageSignal,
  TriageSignalQuerySchema,
  verifyChain,
} from '#domain/casework/index.js';
import { DRENTHE_KEY, personalSignal, personalTraces, REGION_KEY, ReadWorld } from './read-world.js';

async function world() {
  const w = new ReadWorld();
  const note = await w.withDescription(personalSignal('anna'), 'Notitie van de tafel over de Kerkstraat');
  const [emmen, groningen] = await w.add(
    await w.withDescription(
      personalSignal('anna', {
        status: 'besproken',
        legalBasis: 'meldcode',
        routes: ['zorg'],
        reviewOn: '2026-04-01',
        version: 3,
        changedAt: '2026-03-10T09:00:00.000Z',
        decisions: [
          {
            decisionId: '11111111-1111-4111-8111-111111111111',
            routes: ['zorg'],
            decidedOn: '2026-03-10',
            reviewOn: '2026-04-01',
            note: note.description!,
            recordedAt: '2026-03-10T09:00:00.000Z',
            organisation: 'Zorg- en Veiligheidshuis Drenthe',
          },
        ],
      }),
    ),
    personalSignal('bert', { municipality: 'GM0014', province: 'GR' }),
  );
  return { w, emmen: emmen!, groningen: groningen! };
}

describe('readTriageSignal', () => {
  it('logs the look first, then answers the signal with its version, decisions and history', async () => {
    const { w, emmen } = await world();
    const read = await readTriageSignal(emmen.signalId, DRENTHE_KEY, 'Voorbereiding weegtafel', w.ports);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(w.audit.entries).toHaveLength(1);
    expect(w.audit.entries[0]).toMatchObject({
      action: 'signal-read',
      signalId: emmen.signalId,
      organisation: DRENTHE_KEY.organisation,
      keyHash: DRENTHE_KEY.keyHash,
      purpose: 'Voorbereiding weegtafel',
    });
    expect(read.value).toMatchObject({
      signalId: emmen.signalId,
      status: 'besproken',
      legalBasis: 'meldcode',
      routes: ['zorg'],
      reviewOn: '2026-04-01',
      version: 3,
      changedAt: '2026-03-10T09:00:00.000Z',
      hasDescription: true,
      decisions: [
        {
          decisionId: '11111111-1111-4111-8111-111111111111',
          routes: ['zorg'],
          decidedOn: '2026-03-10',
          reviewOn: '2026-04-01',
          recordedAt: '2026-03-10T09:00:00.000Z',
          organisation: 'Zorg- en Veiligheidshuis Drenthe',
          hasNote: true,
        },
      ],
      // This very look, without the key's hash or the purpose: the table needs who and what.
      history: [{ at: w.audit.entries[0]!.at, organisation: DRENTHE_KEY.organisation, action: 'signal-read' }],
      historyComplete: true,
      repeat: { earlierSignals: 0, organisations: 0, complete: true },
    });
  });

  it('logs the default purpose when the reader states none', async () => {
    const { w, emmen } = await world();
    await readTriageSignal(emmen.signalId, REGION_KEY, undefined, w.ports);
    expect(w.audit.entries[0]).toMatchObject({ purpose: DEFAULT_TRIAGE_PURPOSE, keyHash: REGION_KEY.keyHash });
  });

  it('answers 404 for a signal outside the key area, as for an unknown one, and logs nothing', async () => {
    const { w, groningen } = await world();
    for (const id of [groningen.signalId, '00000000-0000-4000-8000-00000000ffff']) {
      const read = await readTriageSignal(id, DRENTHE_KEY, undefined, w.ports);
      expect(read).toMatchObject({ ok: false, problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/not-found' } });
    }
    expect(w.audit.entries).toEqual([]);
    expect(await readTriageSignal(groningen.signalId, REGION_KEY, undefined, w.ports)).toMatchObject({ ok: true });
  });

  it('returns nothing when the look cannot be logged: a 503 after the log stays busy, and a failing log throws', async () => {
    const { w, emmen } = await world();
    // Another append always comes first: every attempt loses.
    const busyLog = Object.assign(Object.create(w.audit), { append: async () => false });
    const busy = await readTriageSignal(emmen.signalId, DRENTHE_KEY, undefined, { ...w.ports, audit: busyLog });
    expect(busy).toMatchObject({ ok: false, problem: { status: 503 } });
    expect(JSON.stringify(busy)).not.toContain(emmen.observedAt);

    const failingLog = Object.assign(Object.create(w.audit), { head: async () => Promise.reject(new Error('DynamoDB down')) });
    await expect(readTriageSignal(emmen.signalId, DRENTHE_KEY, undefined, { ...w.ports, audit: failingLog })).rejects.toThrow('DynamoDB down');
    expect(w.audit.entries).toEqual([]);
  });

  it('reads nothing for a principal without a key hash: it could not be named in the log', async () => {
    const { w, emmen } = await world();
    const { keyHash: _, ...unnamed } = DRENTHE_KEY;
    expect(await readTriageSignal(emmen.signalId, unnamed, undefined, w.ports)).toMatchObject({ ok: false, problem: { status: 503 } });
    expect(w.audit.entries).toEqual([]);
  });

  it('shows the history of looks and changes in order, and says when there are more than it shows', async () => {
    const { w, emmen } = await world();
    for (let i = 0; i < 3; i++) await readTriageSignal(emmen.signalId, i === 1 ? REGION_KEY : DRENTHE_KEY, undefined, w.ports);
    const read = await readTriageSignal(emmen.signalId, DRENTHE_KEY, undefined, w.ports);
    if (!read.ok) throw new Error('not read');
    expect(read.value.history.map((e) => e.organisation)).toEqual([
      DRENTHE_KEY.organisation,
      REGION_KEY.organisation,
      DRENTHE_KEY.organisation,
      DRENTHE_KEY.organisation,
    ]);
    expect(verifyChain(w.audit.entries).intact).toBe(true);

    const long = {
      ...w.ports,
      audit: Object.assign(Object.create(w.audit), { signalEntriesAfter: async () => Array(MAX_HISTORY_EVENTS + 1).fill(w.audit.entries[0]) }),
    };
    const truncated = await readTriageSignal(emmen.signalId, DRENTHE_KEY, undefined, long);
    expect(truncated.ok && truncated.value).toMatchObject({ historyComplete: false });
    expect(truncated.ok && truncated.value.history).toHaveLength(MAX_HISTORY_EVENTS);
  });

  it('names the fields each enrichment changed, and nothing more of any other entry', async () => {
    const { w, emmen } = await world();
    const entry = { organisation: REGION_KEY.organisation, keyHash: REGION_KEY.keyHash!, signalId: emmen.signalId };
    await appendAudit({ ...entry, action: 'enrichment', purpose: enrichmentPurpose(['municipality', 'province', 'status']) }, { log: w.audit });
    await appendAudit({ ...entry, action: 'decision', purpose: 'besluit van de tafel: zorg' }, { log: w.audit });
    const read = await readTriageSignal(emmen.signalId, DRENTHE_KEY, undefined, w.ports);
    if (!read.ok) throw new Error('not read');
    expect(read.value.history.map(({ at: _, ...event }) => event)).toEqual([
      { organisation: REGION_KEY.organisation, action: 'enrichment', fields: ['municipality', 'province', 'status'] },
      { organisation: REGION_KEY.organisation, action: 'decision' },
      { organisation: DRENTHE_KEY.organisation, action: 'signal-read' },
    ]);
  });

  it('holds no pseudonym, match key, encrypted text, note, key hash or purpose anywhere in the answer', async () => {
    const { w, emmen } = await world();
    const read = await readTriageSignal(emmen.signalId, DRENTHE_KEY, 'Voorbereiding weegtafel', w.ports);
    expect(read.ok).toBe(true);
    expect(personalTraces(read)).toEqual([]);
    expect(JSON.stringify(read)).not.toContain('Voorbereiding');
  });
});

describe('TriageSignalQuerySchema', () => {
  it('takes an optional purpose and refuses one with personal data, in Dutch', () => {
    expect(TriageSignalQuerySchema.parse({})).toEqual({});
    expect(TriageSignalQuerySchema.parse({ purpose: ' Weegtafel ' })).toEqual({ purpose: 'Weegtafel' });
    const refused = TriageSignalQuerySchema.safeParse({ purpose: 'Bellen met 06 12345678' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]).toMatchObject({ path: ['purpose'], message: expect.stringMatching(/telefoonnummer/) });
    expect(TriageSignalQuerySchema.safeParse({ reason: 'x' }).success).toBe(false);
  });
});
