import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEASE_INTERVAL_MS } from '#domain/statistics/disclosure/index.js';
import { makeReleaseIfDue, releaseCounterKeys, releaseIntervalMs } from '#domain/statistics/index.js';
import { MemoryReleases } from '../../../support/memory-releases.js';
import { anotherSignal } from '../../../support/stored-signal.js';

const REGION = 'noord-nederland';
const at = (iso: string) => new Date(iso);
const HOUR = 60 * 60 * 1000;

function storeWith(signals: number): MemoryReleases {
  const store = new MemoryReleases();
  for (let i = 0; i < signals; i++) store.countSignal(anotherSignal({ municipality: i % 2 ? 'GM0114' : 'GM0106', form: i % 3 ? 'arbeid' : 'seksueel' }));
  return store;
}

describe('releaseIntervalMs (PUBLIC_RELEASE_INTERVAL)', () => {
  it('reads a duration with its unit, 0 for as soon as allowed, a day when unset', () => {
    expect(releaseIntervalMs(undefined)).toBe(DEFAULT_RELEASE_INTERVAL_MS);
    expect(releaseIntervalMs('')).toBe(DEFAULT_RELEASE_INTERVAL_MS);
    expect(releaseIntervalMs('0')).toBe(0);
    expect(releaseIntervalMs('24h')).toBe(24 * HOUR);
    expect(releaseIntervalMs('90m')).toBe(90 * 60_000);
    expect(releaseIntervalMs('30s')).toBe(30_000);
    expect(releaseIntervalMs('1d')).toBe(24 * HOUR);
  });

  it('refuses what it would have to guess: a bare number, a negative one, words', () => {
    for (const setting of ['15', '-1h', 'een dag', '1.5h', '1w']) expect(() => releaseIntervalMs(setting), setting).toThrow(RangeError);
  });
});

describe('releaseCounterKeys', () => {
  it('names every counter item a public answer about the region can read: region, provinces and municipalities, 1999 to this year', () => {
    const keys = releaseCounterKeys(REGION, at('2026-06-01T12:00:00Z'));
    const years = 2026 - 1999 + 1;
    expect(keys).toHaveLength((1 + 3 + 12 + 10 + 18) * years);
    expect(keys).toEqual(
      expect.arrayContaining([
        'counter#region#noord-nederland#1999',
        'counter#region#noord-nederland#2026',
        'counter#province#DR#2023',
        'counter#municipality#GM0114#2023',
      ]),
    );
    // The year is the Dutch one: on New Year's Eve at 23:30 UTC it is already next year in the Netherlands.
    expect(releaseCounterKeys(REGION, at('2026-12-31T23:30:00Z'))).toContain('counter#region#noord-nederland#2027');
    expect(() => releaseCounterKeys('atlantis', at('2026-06-01T12:00:00Z'))).toThrow(RangeError);
  });
});

describe('makeReleaseIfDue', () => {
  const now = at('2026-06-01T06:00:00Z');

  it('makes no release before five signals have been counted', async () => {
    const store = storeWith(4);
    expect(await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 })).toEqual({ outcome: 'not-due', nextPossibleAt: now.toISOString(), changes: 4 });
    expect(store.pointer).toBeUndefined();
  });

  it('at the fifth copies every counter item, counts and key sums alike, and points the region at it', async () => {
    const store = storeWith(5);
    store.uncounted = 2;
    const result = await makeReleaseIfDue(REGION, now, { store, intervalMs: DEFAULT_RELEASE_INTERVAL_MS });
    expect(result.outcome).toBe('released');
    const release = store.pointer!;
    expect(result).toEqual({ outcome: 'released', release });
    expect(release).toMatchObject({
      releasedAt: now.toISOString(),
      nextPossibleAt: new Date(now.getTime() + DEFAULT_RELEASE_INTERVAL_MS).toISOString(),
      changesAtRelease: 5,
      uncounted: 2,
    });
    expect(release.releaseId).toMatch(/^2026-06-01T06:00:00\.000Z~[0-9a-f]{8}$/);
    const snapshot = store.releases.get(release.releaseId)!;
    expect([...snapshot.keys()].sort()).toEqual([...store.live.keys()].sort());
    for (const [key, item] of snapshot) expect(item.counts).toEqual(store.live.get(key));
    expect(snapshot.get('counter#region#noord-nederland#2023')!.counts).toMatchObject({ total: 5, 'k:total': expect.any(Number) });
  });

  it('keeps the release while fewer than five more signals change, then releases again (interval 0)', async () => {
    const store = storeWith(5);
    const first = await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 });
    const firstId = store.pointer!.releaseId;
    store.countSignal(anotherSignal());
    const later = at('2026-06-01T06:15:00Z');
    expect(await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 })).toMatchObject({ outcome: 'not-due', changes: 1 });
    expect(store.pointer!.releaseId).toBe(firstId);
    for (let i = 0; i < 4; i++) store.countSignal(anotherSignal({ form: 'seksueel' }));
    const second = await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 });
    expect(second.outcome).toBe('released');
    expect(store.pointer!.releaseId).not.toBe(firstId);
    expect(store.pointer!.changesAtRelease).toBe(10);
    expect(first.outcome).toBe('released');
  });

  it('waits the interval after a release, however many signals change', async () => {
    const store = storeWith(5);
    await makeReleaseIfDue(REGION, now, { store, intervalMs: DEFAULT_RELEASE_INTERVAL_MS });
    for (let i = 0; i < 20; i++) store.countSignal(anotherSignal({ municipality: i % 2 ? 'GM0114' : 'GM0106' }));
    const soon = at('2026-06-02T05:59:00Z');
    expect(await makeReleaseIfDue(REGION, soon, { store, intervalMs: DEFAULT_RELEASE_INTERVAL_MS })).toEqual({
      outcome: 'not-due',
      nextPossibleAt: '2026-06-02T06:00:00.000Z',
      changes: 20,
    });
    expect((await makeReleaseIfDue(REGION, at('2026-06-02T06:00:00Z'), { store, intervalMs: DEFAULT_RELEASE_INTERVAL_MS })).outcome).toBe('released');
  });

  it('reads the snapshot again when a signal was counted while it was read, and gives up after three tries', async () => {
    const store = storeWith(5);
    let counting = 1;
    store.duringSnapshot = () => {
      if (counting-- > 0) store.countSignal(anotherSignal({ form: 'crimineel' }));
    };
    expect((await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 })).outcome).toBe('released');
    // The second read is one moment's: it holds the signal counted during the first.
    expect(store.releases.get(store.pointer!.releaseId)!.get('counter#region#noord-nederland#2023')!.counts.total).toBe(6);

    const busy = storeWith(5);
    busy.duringSnapshot = () => busy.countSignal(anotherSignal());
    expect(await makeReleaseIfDue(REGION, now, { store: busy, intervalMs: 0 })).toEqual({ outcome: 'busy' });
    expect(busy.pointer).toBeUndefined();
  });

  it('gives way when another run released meanwhile', async () => {
    const store = storeWith(5);
    store.duringSnapshot = () => {
      store.pointer = { releaseId: 'other', releasedAt: now.toISOString(), nextPossibleAt: now.toISOString(), changesAtRelease: 5, uncounted: 0 };
    };
    expect(await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 })).toEqual({ outcome: 'superseded' });
    expect(store.pointer!.releaseId).toBe('other');
  });

  it('holds a due release while every signal that came shares one municipality, form and month, and lets it through when one differs', async () => {
    const store = storeWith(5);
    await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 });
    const firstId = store.pointer!.releaseId;
    // Five signals about one cell (Emmen, arbeid, March 2023): anyone who knew that five came would find each there.
    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal({ municipality: 'GM0114', form: 'arbeid', observedAt: '2023-03-20' }));
    const later = at('2026-06-01T06:15:00Z');
    expect(await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 })).toEqual({ outcome: 'held', signals: 5, oneDescription: true });
    expect(store.pointer!.releaseId).toBe(firstId);
    // A sixth in another month: six signals in two cells, and the release is made.
    store.countSignal(anotherSignal({ municipality: 'GM0114', form: 'arbeid', observedAt: '2023-04-02' }));
    expect((await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 })).outcome).toBe('released');
    expect(store.pointer!.changesAtRelease).toBe(11);
  });

  it('counts signals, not events: one signal corrected five times is one, and the release waits for four more', async () => {
    const store = storeWith(5);
    await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 });
    let signal = anotherSignal({ municipality: 'GM0106' });
    store.countSignal(signal);
    for (const form of ['seksueel', 'crimineel', 'arbeid', 'seksueel'] as const) {
      const corrected = { ...signal, form, version: signal.version + 1 };
      store.countSignal(corrected, signal);
      signal = corrected;
    }
    expect(store.counter.changes).toBe(10);
    const later = at('2026-06-01T06:15:00Z');
    expect(await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 })).toEqual({ outcome: 'held', signals: 1, oneDescription: true });
    for (const municipality of ['GM0114', 'GM0118', 'GM0106', 'GM0114']) store.countSignal(anotherSignal({ municipality }));
    expect((await makeReleaseIfDue(REGION, later, { store, intervalMs: 0 })).outcome).toBe('released');
  });

  it('holds a first release of five signals that all share one description', async () => {
    const store = new MemoryReleases();
    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal());
    expect(await makeReleaseIfDue(REGION, now, { store, intervalMs: 0 })).toEqual({ outcome: 'held', signals: 5, oneDescription: true });
    expect(store.pointer).toBeUndefined();
  });
});
