import { describe, expect, it } from 'vitest';
import { decodeCursor, MAX_READS, readWorklist, type WorklistQuery, WorklistQuerySchema } from '#domain/casework/index.js';
import { DRENTHE_KEY, personalSignal, personalTraces, REGION_KEY, ReadWorld } from './read-world.js';

const query = (raw: Record<string, string> = {}): WorklistQuery => WorklistQuerySchema.parse(raw);
const ids = (page: { signals: { signalId: string }[] }) => page.signals.map((s) => s.signalId);

/** 1 March 2026 at this hour (UTC): 10:00 to 13:00 in the Netherlands. */
const at = (hour: number) => `2026-03-01T${String(hour).padStart(2, '0')}:00:00.000Z`;

/** Emmen (DR), Groningen (GR), Leeuwarden (FR) and Assen (DR), received an hour apart in this order. */
async function world() {
  const w = new ReadWorld();
  const [emmen, groningen, leeuwarden, assen] = await w.add(
    personalSignal('anna', { receivedAt: at(9), municipality: 'GM0114', province: 'DR', status: 'te-verrijken' }),
    personalSignal('bert', { receivedAt: at(10), municipality: 'GM0014', province: 'GR', status: 'in-beoordeling' }),
    personalSignal('cora', { receivedAt: at(11), municipality: 'GM0080', province: 'FR', status: 'besproken', routes: ['zorg'], reviewOn: '2026-03-19' }),
    personalSignal('anna', {
      receivedAt: at(12),
      municipality: 'GM0106',
      province: 'DR',
      status: 'besproken',
      organisation: 'Politie',
      routes: ['riec', 'zorg'],
      reviewOn: '2026-03-20',
    }),
  );
  return { w, emmen: emmen!, groningen: groningen!, leeuwarden: leeuwarden!, assen: assen! };
}

describe('readWorklist', () => {
  it("lists the region's signals newest received first, for a key of the whole region", async () => {
    const { w, emmen, groningen, leeuwarden, assen } = await world();
    const page = await readWorklist(query(), REGION_KEY, w.ports);
    expect(ids(page)).toEqual([assen.signalId, leeuwarden.signalId, groningen.signalId, emmen.signalId]);
    expect(page.next).toBeNull();
  });

  it("shows a province's key only the signals of its province, whatever the query asks", async () => {
    const { w, emmen, assen } = await world();
    expect(ids(await readWorklist(query(), DRENTHE_KEY, w.ports))).toEqual([assen.signalId, emmen.signalId]);
    expect(ids(await readWorklist(query({ province: 'DR' }), DRENTHE_KEY, w.ports))).toEqual([assen.signalId, emmen.signalId]);
    // Another province than the key's: nothing, and nothing read.
    const scans = w.worklist.scans.length;
    expect(await readWorklist(query({ province: 'GR' }), DRENTHE_KEY, w.ports)).toEqual({ signals: [], next: null });
    expect(w.worklist.scans.length).toBe(scans);
  });

  it('never shows a signal outside the area, even when the index hands one back', async () => {
    const { w, emmen, assen } = await world();
    w.worklist.ignoreFilter = true;
    expect(ids(await readWorklist(query(), DRENTHE_KEY, w.ports))).toEqual([assen.signalId, emmen.signalId]);
    expect(ids(await readWorklist(query({ status: 'te-verrijken' }), REGION_KEY, w.ports))).toEqual([emmen.signalId]);
  });

  it('filters by one or more statuses, a province and a municipality', async () => {
    const { w, emmen, groningen, leeuwarden, assen } = await world();
    expect(ids(await readWorklist(query({ status: 'te-verrijken,in-beoordeling' }), REGION_KEY, w.ports))).toEqual([groningen.signalId, emmen.signalId]);
    expect(ids(await readWorklist(query({ status: 'besproken' }), REGION_KEY, w.ports))).toEqual([assen.signalId, leeuwarden.signalId]);
    expect(ids(await readWorklist(query({ province: 'FR' }), REGION_KEY, w.ports))).toEqual([leeuwarden.signalId]);
    expect(ids(await readWorklist(query({ municipality: 'GM0106' }), REGION_KEY, w.ports))).toEqual([assen.signalId]);
  });

  it('filters by the day of receipt in Dutch time, both days included', async () => {
    const { w } = await world();
    expect(ids(await readWorklist(query({ from: '2026-03-01', to: '2026-03-01' }), REGION_KEY, w.ports))).toHaveLength(4);
    expect(w.worklist.scans.at(-1)).toMatchObject({ receivedFrom: '2026-02-28T23:00:00.000Z', receivedBefore: '2026-03-01T23:00:00.000Z' });
    expect(ids(await readWorklist(query({ from: '2026-03-02' }), REGION_KEY, w.ports))).toEqual([]);
    expect(ids(await readWorklist(query({ to: '2026-02-28' }), REGION_KEY, w.ports))).toEqual([]);
    // A day in summer time starts at 22:00 UTC the evening before.
    expect(query({ from: '2026-07-01' }).receivedFrom).toBe('2026-06-30T22:00:00.000Z');
  });

  it('lists as review-due the open signals whose follow-up date is today or earlier', async () => {
    const { w, leeuwarden, assen } = await world();
    // Today is 2026-03-20 in the world's clock: Assen (the 20th) and Leeuwarden (the 19th) are due.
    expect(ids(await readWorklist(query({ reviewDue: 'true' }), REGION_KEY, w.ports))).toEqual([assen.signalId, leeuwarden.signalId]);
    await w.signals.update(leeuwarden.signalId, 1, { status: 'afgesloten' });
    await w.signals.update(assen.signalId, 1, { reviewOn: '2026-03-21' });
    expect(ids(await readWorklist(query({ reviewDue: 'true' }), REGION_KEY, w.ports))).toEqual([]);
    expect(ids(await readWorklist(query({ reviewDue: 'false' }), REGION_KEY, w.ports))).toHaveLength(4);
  });

  it('pages with an opaque cursor until next is null, each signal once', async () => {
    const { w } = await world();
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await readWorklist(query({ limit: '3', ...(cursor && { cursor }) }), REGION_KEY, w.ports);
      seen.push(...ids(page));
      cursor = page.next;
      pages++;
      if (cursor) expect(decodeCursor(cursor)).toBeDefined();
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(ids(await readWorklist(query(), REGION_KEY, w.ports)));
  });

  it('reads on when a filter leaves a read short, and ends without an empty page when the last page is exactly full', async () => {
    const w = new ReadWorld();
    // 30 signals, of which every tenth is te-verrijken: with limit 2 the first read (3 signals) finds none.
    const all = await w.add(...Array.from({ length: 30 }, (_, i) => personalSignal(`p${i}`, { status: i % 10 === 0 ? 'te-verrijken' : 'besproken' })));
    const page = await readWorklist(query({ status: 'te-verrijken', limit: '2' }), REGION_KEY, w.ports);
    expect(ids(page)).toEqual([all[20]!.signalId, all[10]!.signalId]);
    expect(w.worklist.scans.map((s) => s.evaluate)).toEqual([3, 12, 48]);
    const rest = await readWorklist(query({ status: 'te-verrijken', limit: '2', cursor: page.next! }), REGION_KEY, w.ports);
    expect(ids(rest)).toEqual([all[0]!.signalId]);
    expect(rest.next).toBeNull();
  });

  it('stops after a bounded number of reads with next set, and the client reads on from there', async () => {
    const w = new ReadWorld();
    // 1 000 newer signals none of which match, and an older one that does: more than MAX_READS reads of growing size find it.
    const match = personalSignal('early', { status: 'te-verrijken' });
    await w.add(match, ...Array.from({ length: 1_000 }, (_, i) => personalSignal(`q${i}`, { status: 'besproken' })));
    const first = await readWorklist(query({ status: 'te-verrijken', limit: '1' }), REGION_KEY, w.ports);
    expect(w.worklist.scans).toHaveLength(MAX_READS);
    expect(w.worklist.scans.map((s) => s.evaluate)).toEqual([2, 8, 32, 128, 512]);
    expect(first).toMatchObject({ signals: [], next: expect.any(String) });
    const second = await readWorklist(query({ status: 'te-verrijken', limit: '1', cursor: first.next! }), REGION_KEY, w.ports);
    expect(ids(second)).toEqual([match.signalId]);
  });

  it('treats a cursor from another period as a position in time: before the period nothing, after it from the start', async () => {
    const { w, emmen, groningen } = await world();
    const cursorAt = (signal: typeof emmen) => Buffer.from(`${signal.receivedAt}|${signal.signalId}`).toString('base64url');
    expect(
      await readWorklist(
        query({ from: '2026-03-01', cursor: Buffer.from(`2026-02-01T00:00:00.000Z|${emmen.signalId}`).toString('base64url') }),
        REGION_KEY,
        w.ports,
      ),
    ).toEqual({
      signals: [],
      next: null,
    });
    expect(
      ids(
        await readWorklist(
          query({ to: '2026-03-01', cursor: Buffer.from(`2026-04-01T00:00:00.000Z|${emmen.signalId}`).toString('base64url') }),
          REGION_KEY,
          w.ports,
        ),
      ),
    ).toHaveLength(4);
    expect(ids(await readWorklist(query({ cursor: cursorAt(groningen) }), REGION_KEY, w.ports))).toEqual([emmen.signalId]);
  });

  it("shows each signal's classification, area, minors flag, routes and repeat information", async () => {
    const { w, emmen, assen } = await world();
    const page = await readWorklist(query(), DRENTHE_KEY, w.ports);
    expect(page.signals[0]).toEqual({
      signalId: assen.signalId,
      receivedAt: assen.receivedAt,
      observedAt: '2023-03-14',
      status: 'besproken',
      channel: 'api',
      sourceType: 'gemeente',
      organisation: 'Politie',
      signalType: 'melding',
      form: 'arbeid',
      additionalForms: [],
      municipality: 'GM0106',
      province: 'DR',
      ageBand: '23-29',
      gender: 'v',
      minors: 'nee',
      routes: ['riec', 'zorg'],
      reviewOn: '2026-03-20',
      // Anna, signalled before by the Gemeente Emmen: observed the same day, received earlier.
      repeat: { earlierSignals: 1, organisations: 1, since: '2023-03', complete: true },
    });
    expect(page.signals[1]).toMatchObject({ signalId: emmen.signalId, repeat: { earlierSignals: 0, organisations: 0, complete: true } });
  });

  it('says repeat: null for a signal that names no one, and the minors flag from the web form when there is no age band', async () => {
    const w = new ReadWorld();
    const { subject: _, ...anonymous } = personalSignal('nobody', { minorsSuspected: 'ja', channel: 'web' });
    await w.add(anonymous);
    expect((await readWorklist(query(), REGION_KEY, w.ports)).signals[0]).toMatchObject({ minors: 'ja', repeat: null });
    expect((await readWorklist(query(), REGION_KEY, w.ports)).signals[0]).not.toHaveProperty('ageBand');
  });

  it('holds no pseudonym, match key, encrypted text or personal field anywhere in the answer', async () => {
    const { w } = await world();
    const withText = await w.withDescription(personalSignal('dora', { legalBasis: 'meldcode' }));
    await w.add(withText);
    const page = await readWorklist(query(), REGION_KEY, w.ports);
    expect(page.signals).toHaveLength(5);
    expect(personalTraces(page)).toEqual([]);
    // The walk is not blind: the stored signal itself is full of them.
    expect(personalTraces(withText).length).toBeGreaterThan(5);
  });
});
