import { UNKNOWN } from '#domain/kernel/index.js';
import { type MinorsInvolved, minorsOf, ROUTES, type StoredSignal } from '#domain/signal/index.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';

/**
 * Which attributes a signal is counted under. Raise it whenever they change: an applied contribution of an
 * older version is then still subtracted as what it added (see attributesOf), and `npm run recount --
 * --rebuild` brings signals counted under it up to this one.
 *
 * 1 (stored without a version): total and the one-way form, province, municipality, sourceType, channel,
 * signalType and month. 2: besides those exploitationMunicipality, minors, sector, ageBand, gender, status,
 * additionalForm, the two-way pairs of TWO_WAY_PAIRS, and beside every attribute its key sum. 3: besides
 * those the table's routes (`route#<route>`, NO_DECISION before a decision) and, per scope and year, a
 * route-set item of the signals with the same set of routes (routeSetKey), for excludeRoute; and (added
 * within version 3 before its release, so a version 3 contribution without them adds and subtracts neither)
 * `person#<PersonValue>` and `signalledBefore#<SignalledBeforeValue>`.
 */
export const DIMENSIONS_VERSION = 3;

/** What a signal counted under dimensions version 1 contributed. Applied states written before version 2 hold this. */
export interface ContributionV1 {
  dimensionsVersion?: 1;
  year: number;
  month: string;
  region: string;
  province: string;
  municipality: string;
  form: string;
  sourceType: string;
  channel: string;
  signalType: string;
}

/** What a signal counted under dimensions version 2 contributed. */
export interface ContributionV2 extends Omit<ContributionV1, 'dimensionsVersion'> {
  dimensionsVersion: 2;
  /** The signal's record key (recordKeyOf), kept so that what was added to the key sums is subtracted, whatever happens to the hash. */
  recordKey: number;
  /** A CBS code, or `onbekend`. */
  exploitationMunicipality: string;
  minors: MinorsInvolved;
  sector: string;
  ageBand: string;
  gender: string;
  status: string;
  /** Each once, sorted. They do not add to the total. */
  additionalForms: string[];
}

/** The route of a signal the table has not decided on yet: `route#geen-besluit`, "nog geen besluit". */
export const NO_DECISION = 'geen-besluit';

/** Every value `route#` is counted under: the table's routes, and no decision yet. */
export const ROUTE_VALUES = [...ROUTES, NO_DECISION] as const;
export type RouteValue = (typeof ROUTE_VALUES)[number];

/**
 * A signal's person by arrival (StoredSignal.person): `nieuw` when no signal of the same person observed in
 * its year arrived before it (so that the `nieuw` of a year counts its distinct people), `eerder-dit-jaar`
 * when one did, `onbekend` when the signal named nobody or is not linked yet.
 */
export const PERSON_VALUES = ['nieuw', 'eerder-dit-jaar', UNKNOWN] as const;
export type PersonValue = (typeof PERSON_VALUES)[number];
/** Whether a signal of the same person arrived before it, in any year. */
export const SIGNALLED_BEFORE_VALUES = ['ja', 'nee', UNKNOWN] as const;
export type SignalledBeforeValue = (typeof SIGNALLED_BEFORE_VALUES)[number];

/** The dimensions under which one signal is counted now. */
export interface Contribution extends Omit<ContributionV2, 'dimensionsVersion'> {
  dimensionsVersion: 3;
  /**
   * The latest decision's routes, each once, sorted; [NO_DECISION] before a decision. Several may run at
   * once, so they do not add to the total; together they name the signal's route-set item.
   */
  routes: RouteValue[];
  /** Absent in a version 3 contribution applied before these were counted: it then added neither. */
  person?: PersonValue;
  signalledBefore?: SignalledBeforeValue;
}

/** A contribution as an applied state may hold it: of this dimensions version or an older one. */
export type AppliedContribution = Contribution | ContributionV2 | ContributionV1;

/** Where a counter counts: the whole region, one province or one municipality. */
export type CounterScope = { kind: 'region' | 'province' | 'municipality'; code: string };

/** One counter item per scope and year; its attributes are the counts of each dimension value. */
export function counterKey(scope: CounterScope, year: number): string {
  return `counter#${scope.kind}#${scope.code}#${year}`;
}

/**
 * A signal's set of routes as one name: `riec+zorg`, or `geen-besluit`. Routes hold no `+` or `#`, so the
 * name reads back (routesOfSet) and fits a key.
 */
export const routeSetOf = (routes: readonly string[]): string => [...new Set(routes)].sort().join('+');
export const routesOfSet = (routeSet: string): string[] => routeSet.split('+');

/**
 * The route-set item beside a counter item: the same attributes, counted only for the signals whose set of
 * routes is exactly `routeSet`. Every signal counted under version 3 is in exactly one route-set item per
 * scope and year, so the signals without some routes are the counter item less the route-set items that
 * hold any of them: exact for any set of routes, by subtraction (reading.ts, withoutRoutes).
 */
export const routeSetKey = (counterItemKey: string, routeSet: string): string => `${counterItemKey}#routeSet#${routeSet}`;

/**
 * Counted in the counter item (count only, no key sum) once per signal in each route-set item: where a
 * reader finds which route-set items hold anything, without trying the 32 there could be.
 */
export const ROUTE_SET = 'routeSet';

/** The one-way dimensions a signal is counted under once each: `<dimension>#<value>`. */
export const ONE_WAY_DIMENSIONS = [
  'form',
  'province',
  'municipality',
  'sourceType',
  'channel',
  'signalType',
  'month',
  'exploitationMunicipality',
  'minors',
  'sector',
  'ageBand',
  'gender',
  'status',
] as const satisfies readonly (keyof Contribution)[];

/** The cross tables counted as such: `<row>|<column>#<rowValue>|<columnValue>`. */
export const TWO_WAY_PAIRS = [
  ['municipality', 'form'],
  ['month', 'form'],
  ['sourceType', 'form'],
  ['province', 'form'],
  ['exploitationMunicipality', 'form'],
] as const satisfies readonly (readonly [keyof Contribution, keyof Contribution])[];

/** Counted once for each further form of a signal, beside (not in) the total: `additionalForm#<form>`. */
export const ADDITIONAL_FORM = 'additionalForm';

/** Counted once for each of a signal's routes, beside (not in) the total: `route#<route>`. */
export const ROUTE = 'route';

/**
 * The attribute beside each count that sums the record keys of the signals in it: `k:<attribute>`, whole
 * (not reduced mod anything), so that sums over years and scopes add up. Absent means 0, as for a count.
 */
export const keySumAttribute = (attribute: string) => `k:${attribute}`;

/** Moved to #domain/signal (the triage table shows it too); re-exported where the counts always found it. */
export { type MinorsInvolved, minorsOf };

export function contributionOf(signal: StoredSignal): Contribution | null {
  if (signal.status === 'ingetrokken') return null;
  return {
    dimensionsVersion: DIMENSIONS_VERSION,
    recordKey: recordKeyOf(signal.signalId),
    year: Number(signal.observedAt.slice(0, 4)),
    month: signal.observedAt.slice(0, 7),
    region: signal.region,
    province: signal.province,
    municipality: signal.municipality,
    form: signal.form,
    sourceType: signal.sourceType,
    channel: signal.channel,
    signalType: signal.signalType,
    exploitationMunicipality: signal.exploitationMunicipality ?? UNKNOWN,
    minors: minorsOf(signal),
    sector: signal.sector ?? UNKNOWN,
    ageBand: signal.subject?.ageBand ?? UNKNOWN,
    gender: signal.subject?.gender ?? UNKNOWN,
    status: signal.status,
    additionalForms: [...new Set(signal.additionalForms ?? [])].sort(),
    routes: signal.routes && signal.routes.length > 0 ? [...new Set(signal.routes)].sort() : [NO_DECISION],
    person: !signal.person ? UNKNOWN : signal.person.earlierInYear ? 'eerder-dit-jaar' : 'nieuw',
    signalledBefore: !signal.person ? UNKNOWN : signal.person.signalledBefore ? 'ja' : 'nee',
  };
}

/** The dimensions version a contribution was counted under. */
export const dimensionsVersionOf = (c: AppliedContribution): number => c.dimensionsVersion ?? 1;

/**
 * Whether `npm run recount -- --rebuild` has to count this contribution again under the current dimensions:
 * of an older version, or of version 3 from before it counted the person.
 */
export const isOutdated = (c: AppliedContribution | null): boolean =>
  c !== null && (dimensionsVersionOf(c) < DIMENSIONS_VERSION || (c.dimensionsVersion === 3 && c.person === undefined));

/**
 * What one signal adds to each attribute of a counter item, under the dimensions version it was counted
 * under: so that a contribution of an older version is subtracted as exactly what it once added.
 */
function attributesOf(c: AppliedContribution): Map<string, number> {
  const v1 = [
    'total',
    `form#${c.form}`,
    `province#${c.province}`,
    `municipality#${c.municipality}`,
    `sourceType#${c.sourceType}`,
    `channel#${c.channel}`,
    `signalType#${c.signalType}`,
    `month#${c.month}`,
  ];
  if (c.dimensionsVersion !== 2 && c.dimensionsVersion !== 3) return new Map(v1.map((attribute) => [attribute, 1]));
  const counted = [
    'total',
    ...ONE_WAY_DIMENSIONS.map((dimension) => `${dimension}#${c[dimension]}`),
    ...c.additionalForms.map((form) => `${ADDITIONAL_FORM}#${form}`),
    ...TWO_WAY_PAIRS.map(([row, column]) => `${row}|${column}#${c[row]}|${c[column]}`),
    ...(c.dimensionsVersion === 3 ? c.routes.map((route) => `${ROUTE}#${route}`) : []),
    // From the contribution as applied, so that one applied without them subtracts without them.
    ...(c.dimensionsVersion === 3 && c.person !== undefined ? [`person#${c.person}`] : []),
    ...(c.dimensionsVersion === 3 && c.signalledBefore !== undefined ? [`signalledBefore#${c.signalledBefore}`] : []),
  ];
  const attributes = new Map<string, number>();
  for (const attribute of counted) {
    attributes.set(attribute, 1);
    attributes.set(keySumAttribute(attribute), c.recordKey);
  }
  if (c.dimensionsVersion === 3) attributes.set(`${ROUTE_SET}#${routeSetOf(c.routes)}`, 1);
  return attributes;
}

function scopesOf(c: AppliedContribution): CounterScope[] {
  const scopes: CounterScope[] = [{ kind: 'region', code: c.region }];
  // An unknown province or municipality is counted in the scope above it, not as a scope of its own.
  if (c.province !== UNKNOWN) scopes.push({ kind: 'province', code: c.province });
  if (c.municipality !== UNKNOWN) scopes.push({ kind: 'municipality', code: c.municipality });
  return scopes;
}

/** Counter deltas, per counter item, that turn the counts of `from` into those of `to`. */
export type CounterDeltas = Map<string, Map<string, number>>;

/**
 * The deltas that take the counters from what `from` added to what `to` adds: each applied under its own
 * dimensions version, so correcting a signal counted under an older one subtracts only what it added.
 */
export function counterDeltas(from: AppliedContribution | null, to: AppliedContribution | null): CounterDeltas {
  const deltas: CounterDeltas = new Map();
  const add = (c: AppliedContribution, sign: 1 | -1) => {
    const attributes = attributesOf(c);
    // Under version 3 a signal counts in its route-set item too, with the same attributes.
    const keys = scopesOf(c).flatMap((scope) => {
      const key = counterKey(scope, c.year);
      return c.dimensionsVersion === 3 ? [key, routeSetKey(key, routeSetOf(c.routes))] : [key];
    });
    for (const key of keys) {
      const item = deltas.get(key) ?? new Map<string, number>();
      for (const [attribute, value] of attributes) item.set(attribute, (item.get(attribute) ?? 0) + sign * value);
      deltas.set(key, item);
    }
  };
  if (from) add(from, -1);
  if (to) add(to, 1);
  for (const [key, item] of deltas) {
    for (const [attribute, delta] of item) if (delta === 0) item.delete(attribute);
    if (item.size === 0) deltas.delete(key);
  }
  return deltas;
}
