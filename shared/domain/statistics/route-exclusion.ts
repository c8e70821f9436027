import { ROUTE_SET, routeSetKey, routesOfSet } from './counters.js';
import type { CounterItem } from './ports.js';

/**
 * excludeRoute: the figures of the signals that have none of some routes, from the pre-aggregated items.
 *
 * Every signal counted under dimensions version 3 is counted twice per scope and year: in the counter item,
 * and with the same attributes (counts and key sums) in the route-set item of its exact set of routes
 * (routeSetKey: `riec+zorg`, or `geen-besluit`). The route sets partition the signals, so the signals with
 * none of the excluded routes are the counter item less every route-set item whose set holds one of them:
 * exact for any number of excluded routes and signals with several routes at once, with no inclusion–
 * exclusion. The counter item names the route sets it holds (`routeSet#<set>`, a count), so a reader asks
 * for those alone: at most 32 (31 sets of the five routes, and no decision) per item, whatever the number of
 * signals. A signal counted under an older version is in no route-set item: it has no route to leave out
 * until `npm run recount -- --rebuild` counts it again.
 */

const PREFIX = `${ROUTE_SET}#`;

/**
 * The route-set items that go with these counter items: those holding a signal with any of `excluded`,
 * or, without `excluded`, every one that holds a signal (what a release copies).
 */
export function routeSetKeysOf(items: ReadonlyMap<string, CounterItem>, excluded?: readonly string[]): string[] {
  const keys: string[] = [];
  for (const [key, item] of items) {
    for (const [attribute, count] of Object.entries(item.counts)) {
      if (!attribute.startsWith(PREFIX) || count === 0) continue;
      const routeSet = attribute.slice(PREFIX.length);
      if (!excluded || routesOfSet(routeSet).some((route) => excluded.includes(route))) keys.push(routeSetKey(key, routeSet));
    }
  }
  return keys.sort();
}

const later = (a: string | undefined, b: string | undefined) => (a === undefined || (b !== undefined && b > a) ? b : a);

/**
 * Each counter item less its route-set items that hold an excluded route, attribute by attribute, key sums
 * (`k:…`) too: so that the figures, and under disclosure control the cell keys, are those of the signals
 * left, exactly. A count is never made negative: the two items are read apart (eventually consistent), and
 * should a signal be counted between the two reads, it is left out once, not twice. A release reads them
 * as one moment's snapshot, so there it never happens.
 */
export function withoutRoutes(
  items: ReadonlyMap<string, CounterItem>,
  routeSetItems: ReadonlyMap<string, CounterItem>,
  excluded: readonly string[],
): Map<string, CounterItem> {
  const left = new Map<string, CounterItem>();
  for (const [key, item] of items) {
    const counts: Record<string, number> = { ...item.counts };
    let updatedAt = item.updatedAt;
    for (const routeSet of routeSetKeysOf(new Map([[key, item]]), excluded)) {
      const subtracted = routeSetItems.get(routeSet);
      if (!subtracted) continue;
      updatedAt = later(updatedAt, subtracted.updatedAt);
      for (const [attribute, n] of Object.entries(subtracted.counts)) counts[attribute] = (counts[attribute] ?? 0) - n;
    }
    for (const [attribute, n] of Object.entries(counts)) if (!attribute.startsWith('k:') && n < 0) counts[attribute] = 0;
    left.set(key, { counts, ...(updatedAt !== undefined && { updatedAt }) });
  }
  return left;
}

/**
 * Published figures of the signals without some routes, each suppressed where the same figure of all the
 * signals is: the subset's figure is inside that one, as a cell is inside its total (publishWithin). Without
 * it a 0 in the subset under a suppressed figure of all would say that its few signals all have the
 * excluded route, and a 5 or 6 shown in the subset would bound the suppressed figure from below.
 */
export function suppressedWithin<T extends object>(subset: T, all: T): T {
  return within(subset, all) as T;
}

function within(subset: unknown, all: unknown): unknown {
  if (all === null && (subset === null || typeof subset === 'number')) return null;
  if (typeof subset !== 'object' || subset === null || typeof all !== 'object' || all === null) return subset;
  return Object.fromEntries(
    Object.entries(subset).map(([name, value]) => [name, Object.hasOwn(all, name) ? within(value, (all as Record<string, unknown>)[name]) : value]),
  );
}
