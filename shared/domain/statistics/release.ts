import { randomBytes } from 'node:crypto';
import { geography, todayInNetherlands } from '#domain/kernel/index.js';
import { type CounterScope, counterKey } from './counters.js';
import { type CellChange, changeBetween, DEFAULT_RELEASE_INTERVAL_MS, nextRelease, releasableChange } from './disclosure/index.js';
import type { CounterItem, PublicRelease, ReleaseStore } from './ports.js';
import { routeSetKeysOf } from './route-exclusion.js';

/** The first year the statistics answer (StatisticsQuerySchema), less one: the year before is read for the change. */
const FIRST_YEAR = 1999;

/** How often a snapshot is read again when the aggregator counted while it was being read. */
const SNAPSHOT_ATTEMPTS = 3;

/**
 * Every counter item a public answer about the region can read: the region, each of its provinces and
 * municipalities, for every year from 1999 to this one. Most do not exist; reading one that does not costs
 * a read unit and returns nothing.
 */
export function releaseCounterKeys(region: string, now: Date): string[] {
  const known = geography.region(region);
  if (!known) throw new RangeError(`unknown region ${region}`);
  const scopes: CounterScope[] = [
    { kind: 'region', code: region },
    ...known.provinces.map((p): CounterScope => ({ kind: 'province', code: p.code })),
    ...known.provinces.flatMap((p) => p.municipalities.map((m): CounterScope => ({ kind: 'municipality', code: m.code }))),
  ];
  const thisYear = Number(todayInNetherlands(now).slice(0, 4));
  const years = Array.from({ length: thisYear - FIRST_YEAR + 1 }, (_, i) => FIRST_YEAR + i);
  return scopes.flatMap((scope) => years.map((year) => counterKey(scope, year)));
}

/**
 * PUBLIC_RELEASE_INTERVAL: the least time between two releases, as `24h`, `90m`, `30s`, `1d` or `0` (as soon
 * as five signals changed). Unset: a day. Anything else is refused at cold start rather than read as a guess.
 */
export function releaseIntervalMs(setting: string | undefined): number {
  if (setting === undefined || setting.trim() === '') return DEFAULT_RELEASE_INTERVAL_MS;
  const match = /^(\d+)\s*(ms|s|m|h|d)?$/.exec(setting.trim());
  if (!match || (match[2] === undefined && match[1] !== '0')) {
    throw new RangeError(`PUBLIC_RELEASE_INTERVAL is a duration such as 24h, 90m, 30s or 0, not ${JSON.stringify(setting)}`);
  }
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return Number(match[1]) * units[match[2] ?? 'ms']!;
}

export interface ReleasePorts {
  store: ReleaseStore;
  /** The least time between two releases (releaseIntervalMs). */
  intervalMs: number;
}

export type ReleaseOutcome =
  | { outcome: 'released'; release: PublicRelease }
  /** Not yet: too soon, or too few signals changed. `changes` is how many changed since the latest release. */
  | { outcome: 'not-due'; nextPossibleAt: string; changes: number }
  /**
   * Due, but the figures would show too little change: fewer than five signals moved (one signal corrected
   * five times), or every signal that came shares one municipality, form and month (releasableChange).
   * The next run looks again; a signal that differs lets the release through.
   */
  | { outcome: 'held'; signals: number; oneDescription: boolean }
  /** Another run released first. */
  | { outcome: 'superseded' }
  /** The aggregator kept counting while the snapshot was read; the next run tries again. */
  | { outcome: 'busy' };

/**
 * A release's name: when it was made, so that the releases of a region sort by time, and a few random
 * bytes, so that two runs at the same millisecond never write under one name (the loser removes its items).
 */
const releaseIdOf = (now: Date) => `${now.toISOString()}~${randomBytes(4).toString('hex')}`;

/** The dimensions a description is made of for releasableChange: what the cross tables show together. */
const DESCRIBING = ['municipality', 'form', 'month'];
const SCOPE_KINDS = ['region', 'province', 'municipality'] as const;

/** A counter item's attributes as cells of dimensions: `<dimension>#<value>` and the year's total; not the cross tables or key sums. */
function cellsOf(key: string, item: CounterItem | undefined): Map<string, { dimension: string; value: string; count: number; keySum: number }> {
  const year = key.split('#')[3]!;
  const cells = new Map<string, { dimension: string; value: string; count: number; keySum: number }>();
  for (const [attribute, count] of Object.entries(item?.counts ?? {})) {
    if (attribute.startsWith('k:') || attribute.includes('|')) continue;
    const keySum = item!.counts[`k:${attribute}`] ?? 0;
    if (attribute === 'total') cells.set(`year#${year}`, { dimension: 'year', value: year, count, keySum });
    const hash = attribute.indexOf('#');
    if (hash > 0) cells.set(`${attribute}@${year}`, { dimension: attribute.slice(0, hash), value: `${attribute.slice(hash + 1)}@${year}`, count, keySum });
  }
  return cells;
}

/**
 * The change between the previous release and this snapshot, cell by cell, over the widest scope the
 * snapshot holds (the region's items, in which every signal is counted): one extra read of a few dozen
 * items of the previous release.
 */
async function changeSince(region: string, previous: PublicRelease | undefined, items: ReadonlyMap<string, CounterItem>, store: ReleaseStore) {
  const counters = [...items.keys()].filter((key) => key.startsWith('counter#') && !key.includes('#routeSet#'));
  const kind = SCOPE_KINDS.find((k) => counters.some((key) => key.startsWith(`counter#${k}#`)));
  const keys = counters.filter((key) => key.startsWith(`counter#${kind}#`));
  const before: ReadonlyMap<string, CounterItem> = previous && keys.length > 0 ? await store.readReleased(region, previous.releaseId, keys) : new Map();
  const changes: CellChange[] = [];
  for (const key of keys) {
    const was = cellsOf(key, before.get(key));
    for (const [name, now] of cellsOf(key, items.get(key))) {
      const then = was.get(name);
      was.delete(name);
      changes.push({ dimension: now.dimension, value: now.value, before: { count: then?.count ?? 0, keySum: then?.keySum ?? 0 }, after: now });
    }
    for (const then of was.values()) changes.push({ dimension: then.dimension, value: then.value, before: then, after: { count: 0, keySum: 0 } });
  }
  return changeBetween(changes, DESCRIBING);
}

/**
 * Makes a release of the region's figures if one is due (nextRelease: the interval has passed since the
 * latest and at least five signals changed) and the change it would show may be shown (releasableChange: at
 * least five signals moved, and those that came do not all share one municipality, form and month): copies
 * every counter item of the region, counts and key sums alike, and the route-set items they name, under a
 * new release, and points the region's latest release at it.
 *
 * The copy is one moment's: the change counter's `writes` is read before and after the items (all reads
 * strongly consistent, and every counting transaction adds to it), and when it moved the copy is read again.
 * A run that finds another release made meanwhile (an at-least-once schedule may run twice) gives way.
 */
export async function makeReleaseIfDue(region: string, now: Date, ports: ReleasePorts): Promise<ReleaseOutcome> {
  const { store, intervalMs } = ports;
  const previous = await store.latest(region);
  const keys = releaseCounterKeys(region, now);
  for (let attempt = 1; attempt <= SNAPSHOT_ATTEMPTS; attempt++) {
    const before = await store.changeCounter(region);
    const decision = nextRelease(
      previous && { releasedAt: new Date(previous.releasedAt), signalsAtRelease: previous.changesAtRelease },
      now,
      before.changes,
      intervalMs,
    );
    if (!decision.release) {
      return { outcome: 'not-due', nextPossibleAt: decision.nextPossibleAt.toISOString(), changes: before.changes - (previous?.changesAtRelease ?? 0) };
    }
    const { items: counters, uncounted } = await store.readLive(region, keys);
    // The route-set items the counter items name, for excludeRoute: a second read inside the same check.
    const routeSetKeys = routeSetKeysOf(counters);
    const routeSets = routeSetKeys.length > 0 ? (await store.readLive(region, routeSetKeys)).items : new Map();
    const items = new Map([...counters, ...routeSets]);
    const after = await store.changeCounter(region);
    if (after.writes !== before.writes) continue;
    const change = await changeSince(region, previous, counters, store);
    if (!releasableChange(change)) return { outcome: 'held', signals: change.signals, oneDescription: change.homogeneous };
    const release: PublicRelease = {
      releaseId: releaseIdOf(now),
      releasedAt: now.toISOString(),
      nextPossibleAt: decision.nextPossibleAt.toISOString(),
      changesAtRelease: before.changes,
      uncounted,
    };
    return (await store.publish(region, release, items, previous)) ? { outcome: 'released', release } : { outcome: 'superseded' };
  }
  return { outcome: 'busy' };
}
