import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { geography } from '#domain/kernel/index.js';
import { AGE_BANDS, CHANNELS, EXPLOITATION_FORMS, GENDERS, MINORS_ANSWERS, ROUTES, SECTORS, SIGNAL_TYPES, type StoredSignal } from '#domain/signal/index.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';
import {
  type AppliedContribution,
  aggregateSignal,
  aggregateSignals,
  type ContributionV1,
  type ContributionV2,
  contributionOf,
  counterDeltas,
  DIMENSIONS_VERSION,
  markUncounted,
  StoredSignalSchema,
} from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';
import { anotherSignal, storedSignal } from '../../../support/stored-signal.js';

const signal = storedSignal;
const region = 'counter#region#noord-nederland#2023';

describe('aggregateSignal', () => {
  it('counts a new signal once', async () => {
    const store = new MemoryCounters();
    expect(await aggregateSignal(signal(), store)).toBe('counted');
    expect(store.counts(region).total).toBe(1);
  });

  it('changes nothing when the same version comes again (a replayed or retried stream record)', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    expect(await aggregateSignal(signal(), store)).toBe('already-applied');
    expect(store.counts(region).total).toBe(1);
  });

  it('moves the count when a later version corrects the form', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, form: 'seksueel' }), store);
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#arbeid': 0, 'form#seksueel': 1 });
  });

  it('ends right when versions arrive out of order: the older one is ignored', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 2, form: 'crimineel' }), store);
    expect(await aggregateSignal(signal({ version: 1 }), store)).toBe('already-applied');
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#crimineel': 1 });
  });

  it('uncounts a withdrawn signal and counts it again when reinstated', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    expect(store.counts(region).total).toBe(0);
    await aggregateSignal(signal({ version: 3, status: 'ontvangen' }), store);
    expect(store.counts(region).total).toBe(1);
  });

  it('tries again when another writer updated the applied state in between', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    // Another writer applies version 2 (withdrawn) just before this one writes version 3 (reinstated).
    store.interfereOnce = () => aggregateSignal(signal({ version: 2, status: 'ingetrokken' }), store);
    await aggregateSignal(signal({ version: 3 }), store);
    expect(store.appliedStates.get(signal().signalId)!.version).toBe(3);
    expect(store.counts(region).total).toBe(1);
  });
});

describe('aggregateSignals', () => {
  it('counts a batch in one transaction, each signal once, and the older records of a signal as already applied', async () => {
    const store = new MemoryCounters();
    const [a, b] = [anotherSignal(), anotherSignal()];
    const outcomes = await aggregateSignals([a, b, { ...a, version: 2, form: 'seksueel' }], store);
    expect(outcomes).toEqual(['already-applied', 'counted', 'counted']);
    expect(store.applyAllCalls).toBe(1);
    expect(store.counts(region)).toMatchObject({ total: 2, 'form#seksueel': 1 });
    expect(await aggregateSignals([a, b], store)).toEqual(['already-applied', 'already-applied']);
  });

  it('counts a marked signal one by one, so that its markers go in the same transaction', async () => {
    const store = new MemoryCounters();
    const a = anotherSignal();
    await markUncounted(a.signalId, { ...a }, new TypeError('x'), store);
    expect(await aggregateSignals([a, anotherSignal()], store)).toEqual(['counted', 'counted']);
    expect(store.markers.get('noord-nederland')?.size ?? 0).toBe(0);
    expect(store.counts(region).total).toBe(2);
  });

  it('counts one by one the signals of a transaction that lost a race, nothing twice', async () => {
    const store = new MemoryCounters();
    const [a, b] = [anotherSignal(), anotherSignal()];
    store.interfereOnce = () => aggregateSignal(a, store);
    expect(await aggregateSignals([a, b], store)).toEqual(['already-applied', 'counted']);
    expect(store.counts(region).total).toBe(2);
  });
});

describe('markUncounted', () => {
  const id = signal().signalId;
  const parseError = Object.assign(new Error('form: Invalid option: "arbeidx"'), { name: '$ZodError' });
  const brokenItem = { ...signal(), version: 1, form: 'arbeidx', organisation: 'Jan Jansen' } as Record<string, unknown>;
  const now = new Date('2024-02-01T08:00:00Z');

  it('marks the signal in its region with its year, province, municipality, the time and the error name, nothing else', async () => {
    const store = new MemoryCounters();
    expect(await markUncounted(id, brokenItem, parseError, store, now)).toBe('marked');
    expect([...store.markers.get('noord-nederland')!.values()]).toEqual([
      { signalId: id, markedAt: '2024-02-01T08:00:00.000Z', error: '$ZodError', year: 2023, province: 'DR', municipality: 'GM0114' },
    ]);
    expect(await store.bookkeeping(id)).toEqual({ uncounted: { regions: ['noord-nederland'], version: 1 } });
  });

  it('keeps only known codes: a value it cannot place is left out, and an unreadable region marks every region', async () => {
    const store = new MemoryCounters();
    const item = { observedAt: 'gisteren', region: 42, province: 'Jan Jansen', municipality: 'onbekend', version: 'x' };
    await markUncounted(id, item, new TypeError('no'), store, now);
    expect([...store.markers.keys()]).toEqual(geography.regionCodes());
    expect([...store.markers.get('noord-nederland')!.values()]).toEqual([
      { signalId: id, markedAt: now.toISOString(), error: 'TypeError', municipality: 'onbekend' },
    ]);
    expect((await store.bookkeeping(id)).uncounted).toEqual({ regions: geography.regionCodes(), version: 0 });
  });

  it('never stores an error name that is not a plain name', async () => {
    const store = new MemoryCounters();
    await markUncounted(id, brokenItem, Object.assign(new Error(), { name: 'Error: BSN 111222333 ongeldig' }), store, now);
    expect(store.markers.get('noord-nederland')!.get(id)!.error).toBe('Error');
  });

  it('is removed in the same apply by the attempt that counts the signal', async () => {
    const store = new MemoryCounters();
    await markUncounted(id, brokenItem, parseError, store, now);
    const apply = vi.spyOn(store, 'apply');
    const unmark = vi.spyOn(store, 'unmark');
    expect(await aggregateSignal(signal({ version: 2 }), store)).toBe('counted');
    expect(apply.mock.calls[0]![4]).toEqual(['noord-nederland']);
    expect(unmark).toHaveBeenCalledTimes(1); // by the in-memory apply itself, as the transaction would
    expect(store.markers.get('noord-nederland')!.size).toBe(0);
    expect(await store.bookkeeping(id)).toEqual({ applied: expect.objectContaining({ version: 2 }) });
    expect(store.counts(region).total).toBe(1);
  });

  it('costs a healthy signal nothing: one bookkeeping read and one apply, nothing to unmark', async () => {
    const store = new MemoryCounters();
    const calls = { bookkeeping: vi.spyOn(store, 'bookkeeping'), apply: vi.spyOn(store, 'apply'), unmark: vi.spyOn(store, 'unmark') };
    await aggregateSignal(signal(), store);
    await aggregateSignal(signal(), store);
    expect(calls.bookkeeping).toHaveBeenCalledTimes(2);
    expect(calls.apply).toHaveBeenCalledTimes(1);
    expect(calls.apply.mock.calls[0]![4]).toEqual([]);
    expect(calls.unmark).not.toHaveBeenCalled();
  });

  it('stays when an older version is replayed, and goes when a newer one is counted', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal(), store);
    await markUncounted(id, { ...brokenItem, version: 2 }, parseError, store, now);
    expect(await aggregateSignal(signal(), store)).toBe('already-applied');
    expect(store.markers.get('noord-nederland')!.has(id)).toBe(true);
    expect(await aggregateSignal(signal({ version: 3, form: 'seksueel' }), store)).toBe('counted');
    expect(store.markers.get('noord-nederland')!.has(id)).toBe(false);
    expect(store.counts(region)).toMatchObject({ total: 1, 'form#arbeid': 0, 'form#seksueel': 1 });
  });

  it('goes when the version it failed on turns out counted already (a recount came first)', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 2 }), store);
    await store.markUncounted(['noord-nederland'], 2, { signalId: id, markedAt: now.toISOString(), error: 'Error' });
    expect(await aggregateSignal(signal({ version: 2 }), store)).toBe('already-applied');
    expect(await store.bookkeeping(id)).toEqual({ applied: expect.objectContaining({ version: 2 }) });
    expect(store.markers.get('noord-nederland')!.size).toBe(0);
  });

  it('does not mark a record that a newer counted version has superseded: counting it would change nothing', async () => {
    const store = new MemoryCounters();
    await aggregateSignal(signal({ version: 3 }), store);
    expect(await markUncounted(id, { ...brokenItem, version: 2 }, parseError, store, now)).toBe('superseded');
    expect(store.markers.size).toBe(0);
    expect(store.counts(region).total).toBe(1);
  });
});

/** What the aggregator counted before dimensions version 2: the eight dimensions of version 1, nothing else. */
const v1Of = (s: StoredSignal): ContributionV1 | null =>
  s.status === 'ingetrokken'
    ? null
    : {
        year: Number(s.observedAt.slice(0, 4)),
        month: s.observedAt.slice(0, 7),
        region: s.region,
        province: s.province,
        municipality: s.municipality,
        form: s.form,
        sourceType: s.sourceType,
        channel: s.channel,
        signalType: s.signalType,
      };

/** What the aggregator counted before dimensions version 3: everything but the routes. */
const v2Of = (s: StoredSignal): ContributionV2 | null => {
  const current = contributionOf(s);
  if (!current) return null;
  const { routes: _routes, ...v2 } = current;
  return { ...v2, dimensionsVersion: 2 };
};

type OlderCounting = (s: StoredSignal) => AppliedContribution | null;

/** The aggregator as it was before dimensions version 2 (or, given v2Of, before version 3), counting into the same store. */
async function aggregateAsBefore(s: StoredSignal, store: MemoryCounters, older: OlderCounting = v1Of): Promise<void> {
  const { applied } = await store.bookkeeping(s.signalId);
  if (applied && applied.version >= s.version) return;
  const contribution = older(s);
  await store.apply(s.signalId, applied, { version: s.version, contribution }, counterDeltas(applied?.contribution ?? null, contribution), []);
}

/**
 * The counters as the agreed naming says they must be for these signals, written from that description
 * and not from counters.ts: per scope item, every count and the sum of the record keys beside it.
 */
function freshCount(signals: StoredSignal[]): Record<string, Record<string, number>> {
  const items: Record<string, Record<string, number>> = {};
  for (const s of signals) {
    if (s.status === 'ingetrokken') continue;
    const key = recordKeyOf(s.signalId);
    const band = s.subject?.ageBand;
    const minors = band
      ? band === '0-11' || band === '12-17'
        ? 'ja'
        : 'nee'
      : s.minorsSuspected === 'weet-niet'
        ? 'onbekend'
        : (s.minorsSuspected ?? 'onbekend');
    const value: Record<string, string> = {
      form: s.form,
      province: s.province,
      municipality: s.municipality,
      sourceType: s.sourceType,
      channel: s.channel,
      signalType: s.signalType,
      month: s.observedAt.slice(0, 7),
      exploitationMunicipality: s.exploitationMunicipality ?? 'onbekend',
      minors,
      sector: s.sector ?? 'onbekend',
      ageBand: band ?? 'onbekend',
      gender: s.subject?.gender ?? 'onbekend',
      status: s.status,
      person: s.person ? (s.person.earlierInYear ? 'eerder-dit-jaar' : 'nieuw') : 'onbekend',
      signalledBefore: s.person ? (s.person.signalledBefore ? 'ja' : 'nee') : 'onbekend',
    };
    const routes = s.routes && s.routes.length > 0 ? [...new Set(s.routes)].sort() : ['geen-besluit'];
    const attributes = [
      'total',
      ...Object.entries(value).map(([dimension, v]) => `${dimension}#${v}`),
      ...new Set((s.additionalForms ?? []).map((f) => `additionalForm#${f}`)),
      ...['municipality', 'month', 'sourceType', 'province', 'exploitationMunicipality'].map((row) => `${row}|form#${value[row]}|${s.form}`),
      ...routes.map((r) => `route#${r}`),
    ];
    const routeSet = routes.join('+');
    const year = s.observedAt.slice(0, 4);
    const scopes = [`region#${s.region}`];
    if (s.province !== 'onbekend') scopes.push(`province#${s.province}`);
    if (s.municipality !== 'onbekend') scopes.push(`municipality#${s.municipality}`);
    // Each scope's counter item, and beside it the item of the signals with the same routes: the same attributes.
    for (const pk of scopes.flatMap((scope) => [`counter#${scope}#${year}`, `counter#${scope}#${year}#routeSet#${routeSet}`])) {
      items[pk] ??= {};
      const item = items[pk];
      for (const attribute of attributes) {
        item[attribute] = (item[attribute] ?? 0) + 1;
        item[`k:${attribute}`] = (item[`k:${attribute}`] ?? 0) + key;
      }
      item[`routeSet#${routeSet}`] = (item[`routeSet#${routeSet}`] ?? 0) + 1;
    }
  }
  return items;
}

/** The store's counter items without the attributes that went back to 0 (absent and 0 say the same). */
function nonZero(store: MemoryCounters): Record<string, Record<string, number>> {
  const items: Record<string, Record<string, number>> = {};
  for (const [key, item] of store.items) {
    const kept = Object.entries(item).filter(([, n]) => n !== 0);
    if (kept.length > 0) items[key] = Object.fromEntries(kept);
  }
  return items;
}

/** Each older dimensions version, and an attribute its counting left out that the current one has. */
const OLDER: [string, OlderCounting, string][] = [
  ['1', v1Of, 'sector#horeca'],
  ['2', v2Of, 'route#geen-besluit'],
];

describe.each(OLDER)('signals counted under dimensions version %s', (_, older, missing) => {
  const full = (extra: Partial<StoredSignal> = {}) =>
    signal({
      sector: 'horeca',
      exploitationMunicipality: 'GM0106',
      additionalForms: ['seksueel'],
      subject: { keyId: 'k-1', pseudonyms: {}, ageBand: '12-17', gender: 'm' },
      ...extra,
    });

  it('are left as they are by the stream, and rebuilt once by a recount with --rebuild', async () => {
    const store = new MemoryCounters();
    await aggregateAsBefore(full(), store, older);
    expect(nonZero(store)[region]).not.toHaveProperty(missing);

    expect(await aggregateSignal(full(), store)).toBe('already-applied');
    expect(await aggregateSignal(full(), store, { rebuild: true })).toBe('rebuilt');
    expect(nonZero(store)).toEqual(freshCount([full()]));
    expect(store.appliedStates.get(full().signalId)).toMatchObject({ version: 1, contribution: { dimensionsVersion: DIMENSIONS_VERSION } });

    const before = structuredClone(store.items);
    expect(await aggregateSignal(full(), store, { rebuild: true })).toBe('already-applied');
    expect(store.items).toEqual(before);
  });

  it('are corrected exactly: the old counts moved, the new dimensions and key sums added', async () => {
    const store = new MemoryCounters();
    await aggregateAsBefore(full(), store, older);
    const corrected = full({ version: 2, form: 'seksueel', additionalForms: ['arbeid'], sector: 'bouw' });
    expect(await aggregateSignal(corrected, store)).toBe('counted');
    expect(nonZero(store)).toEqual(freshCount([corrected]));
  });

  it('are withdrawn exactly, and a withdrawn one needs no rebuild', async () => {
    const store = new MemoryCounters();
    await aggregateAsBefore(full(), store, older);
    await aggregateSignal(full({ version: 2, status: 'ingetrokken' }), store);
    expect(nonZero(store)).toEqual({});
    expect(await aggregateSignal(full({ version: 2, status: 'ingetrokken' }), store, { rebuild: true })).toBe('already-applied');
  });

  it('are rebuilt once when two rebuilds race: the second finds the applied state changed and stops', async () => {
    const store = new MemoryCounters();
    await aggregateAsBefore(full(), store, older);
    store.interfereOnce = () => aggregateSignal(full(), store, { rebuild: true });
    expect(await aggregateSignal(full(), store, { rebuild: true })).toBe('already-applied');
    expect(nonZero(store)).toEqual(freshCount([full()]));
  });

  it('are not rebuilt from an older record than the one counted', async () => {
    const store = new MemoryCounters();
    await aggregateAsBefore(full({ version: 2 }), store, older);
    expect(await aggregateSignal(full({ version: 1 }), store, { rebuild: true })).toBe('already-applied');
  });
});

describe('the counters, whatever arrives in whatever order (property)', () => {
  const municipalities = [
    { municipality: 'GM0114', province: 'DR' },
    { municipality: 'GM0014', province: 'GR' },
    { municipality: 'onbekend', province: 'FR' },
    { municipality: 'onbekend', province: 'onbekend' },
  ];
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  /** A version's fields: any of them may change in a correction. */
  const fields = fc.record({
    place: fc.constantFrom(...municipalities),
    observedAt: fc.constantFrom('2022-12-31', '2023-01-15', '2023-03-14'),
    form: fc.constantFrom(...EXPLOITATION_FORMS),
    additionalForms: optional(fc.array(fc.constantFrom(...EXPLOITATION_FORMS), { maxLength: 4 })),
    sourceType: fc.constantFrom('gemeente', 'politie', 'burger'),
    channel: fc.constantFrom(...CHANNELS),
    signalType: fc.constantFrom(...SIGNAL_TYPES),
    exploitationMunicipality: optional(fc.constantFrom('GM0106', 'GM0114', 'onbekend')),
    sector: optional(fc.constantFrom(...SECTORS)),
    subject: optional(fc.record({ ageBand: optional(fc.constantFrom(...AGE_BANDS)), gender: optional(fc.constantFrom(...GENDERS)) })),
    minorsSuspected: optional(fc.constantFrom(...MINORS_ANSWERS)),
    status: fc.constantFrom('ontvangen', 'te-verrijken', 'ingetrokken'),
    // As a decision sets them: one or more routes, or none yet.
    routes: optional(fc.uniqueArray(fc.constantFrom(...ROUTES), { minLength: 1, maxLength: 3 })),
    // As the consumer sets it after linking; absent before, or when the signal named nobody.
    person: optional(fc.record({ signalledBefore: fc.boolean(), earlierInYear: fc.boolean() })),
  });
  type Fields = typeof fields extends fc.Arbitrary<infer F> ? F : never;
  const SIGNALS = 3;
  /** A new version of a signal (its first: filed), or the stream handing over one of its versions, maybe an old one again. */
  const step = fc.oneof(fc.record({ change: fc.nat(SIGNALS - 1), fields }), fc.record({ deliver: fc.nat(SIGNALS - 1), pick: fc.nat() }));
  type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;
  const ids = Array.from({ length: SIGNALS }, () => anotherSignal().signalId);
  const versionOf = (i: number, version: number, f: Fields): StoredSignal => {
    const { place, subject, ...rest } = f;
    const s: StoredSignal = { ...storedSignal({ signalId: ids[i]!, version }), ...place, ...rest };
    if (subject) s.subject = { keyId: 'k-1', pseudonyms: {}, ...subject };
    for (const key of Object.keys(s) as (keyof StoredSignal)[]) if (s[key] === undefined) delete s[key];
    return s;
  };

  /** Plays the steps: the first `before` deliveries by the aggregator as it was, the rest by the current one; then the newest of each. */
  async function play(steps: Step[], before: number, older: OlderCounting = v1Of) {
    const store = new MemoryCounters();
    const versions: StoredSignal[][] = Array.from({ length: SIGNALS }, () => []);
    let delivered = 0;
    const deliver = (s: StoredSignal) => (delivered++ < before ? aggregateAsBefore(s, store, older) : aggregateSignal(s, store));
    for (const s of steps) {
      if ('change' in s) {
        versions[s.change]!.push(versionOf(s.change, versions[s.change]!.length + 1, s.fields));
      } else {
        const history = versions[s.deliver]!;
        if (history.length > 0) await deliver(history[s.pick % history.length]!);
      }
    }
    const newest = versions.filter((h) => h.length > 0).map((h) => h.at(-1)!);
    for (const s of newest) await deliver(s);
    return { store, newest };
  }

  it('equal a fresh count of the final signals, counts and key sums, after retries, replays, reordering and corrections', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), async (steps) => {
        const { store, newest } = await play(steps, 0);
        expect(nonZero(store)).toEqual(freshCount(newest));
      }),
      { numRuns: 300 },
    );
  });

  it('equal a fresh count when the stream hands them over in batches counted at once (aggregateSignals), racing writers included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { maxLength: 25 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1 }),
        fc.boolean(),
        async (steps, sizes, race) => {
          const store = new MemoryCounters();
          const versions: StoredSignal[][] = Array.from({ length: SIGNALS }, () => []);
          const delivered: StoredSignal[] = [];
          for (const s of steps) {
            if ('change' in s) versions[s.change]!.push(versionOf(s.change, versions[s.change]!.length + 1, s.fields));
            else if (versions[s.deliver]!.length > 0) delivered.push(versions[s.deliver]![s.pick % versions[s.deliver]!.length]!);
          }
          const newest = versions.filter((h) => h.length > 0).map((h) => h.at(-1)!);
          delivered.push(...newest);
          // Another writer counts the first signal's newest version while the first batch is on its way.
          if (race && newest[0]) store.interfereOnce = () => aggregateSignal(newest[0]!, store);
          for (let start = 0, i = 0; start < delivered.length; start += sizes[i++ % sizes.length]!) {
            const batch = delivered.slice(start, start + sizes[i % sizes.length]!);
            expect(await aggregateSignals(batch, store)).toHaveLength(batch.length);
          }
          expect(nonZero(store)).toEqual(freshCount(newest));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('equal a fresh count once rebuilt, when part was counted under the older dimensions; a second rebuild changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 25 }), fc.nat(30), fc.constantFrom(v1Of, v2Of), async (steps, before, older) => {
        const { store, newest } = await play(steps, before, older);
        for (const s of newest) await aggregateSignal(s, store, { rebuild: true });
        expect(nonZero(store)).toEqual(freshCount(newest));
        const rebuilt = structuredClone(store.items);
        for (const s of newest) expect(await aggregateSignal(s, store, { rebuild: true })).toBe('already-applied');
        expect(store.items).toEqual(rebuilt);
      }),
      { numRuns: 300 },
    );
  });
});

describe('StoredSignalSchema', () => {
  it('reads a stored signal, and refuses one whose form it does not know', () => {
    expect(StoredSignalSchema.parse({ ...signal(), expiresAt: 1 })).toMatchObject({ version: 1 });
    expect(StoredSignalSchema.safeParse({ ...signal(), form: 'arbeidx' }).success).toBe(false);
  });
});
