import { UNKNOWN } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';

/**
 * Which attributes a signal is counted under. Raise it whenever they change: an applied contribution of an
 * older version is then still subtracted as what it added (see attributesOf), and `npm run recount --
 * --rebuild` brings signals counted under it up to this one.
 *
 * 1 (stored without a version): total and the one-way form, province, municipality, sourceType, channel,
 * signalType and month. 2: besides those exploitationMunicipality, minors, sector, ageBand, gender, status,
 * additionalForm, the two-way pairs of TWO_WAY_PAIRS, and beside every attribute its key sum.
 */
export const DIMENSIONS_VERSION = 2;

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

export type MinorsInvolved = 'ja' | 'nee' | 'onbekend';

/** The dimensions under which one signal is counted now. */
export interface Contribution extends Omit<ContributionV1, 'dimensionsVersion'> {
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

/** A contribution as an applied state may hold it: of this dimensions version or an older one. */
export type AppliedContribution = Contribution | ContributionV1;

/** Where a counter counts: the whole region, one province or one municipality. */
export type CounterScope = { kind: 'region' | 'province' | 'municipality'; code: string };

/** One counter item per scope and year; its attributes are the counts of each dimension value. */
export function counterKey(scope: CounterScope, year: number): string {
  return `counter#${scope.kind}#${scope.code}#${year}`;
}

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

/**
 * The attribute beside each count that sums the record keys of the signals in it: `k:<attribute>`, whole
 * (not reduced mod anything), so that sums over years and scopes add up. Absent means 0, as for a count.
 */
export const keySumAttribute = (attribute: string) => `k:${attribute}`;

/**
 * Minors involved: by the person's age band where there is one (under 18: ja), else by the web form's
 * question (weet-niet: onbekend), else onbekend.
 */
export function minorsOf(signal: Pick<StoredSignal, 'subject' | 'minorsSuspected'>): MinorsInvolved {
  const band = signal.subject?.ageBand;
  if (band) return band === '0-11' || band === '12-17' ? 'ja' : 'nee';
  if (signal.minorsSuspected === 'ja' || signal.minorsSuspected === 'nee') return signal.minorsSuspected;
  return 'onbekend';
}

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
  };
}

/** The dimensions version a contribution was counted under. */
export const dimensionsVersionOf = (c: AppliedContribution): number => c.dimensionsVersion ?? 1;

/** Whether `npm run recount -- --rebuild` has to count this contribution again under the current dimensions. */
export const isOutdated = (c: AppliedContribution | null): boolean => c !== null && dimensionsVersionOf(c) < DIMENSIONS_VERSION;

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
  if (c.dimensionsVersion !== 2) return new Map(v1.map((attribute) => [attribute, 1]));
  const counted = [
    'total',
    ...ONE_WAY_DIMENSIONS.map((dimension) => `${dimension}#${c[dimension]}`),
    ...c.additionalForms.map((form) => `${ADDITIONAL_FORM}#${form}`),
    ...TWO_WAY_PAIRS.map(([row, column]) => `${row}|${column}#${c[row]}|${c[column]}`),
  ];
  const attributes = new Map<string, number>();
  for (const attribute of counted) {
    attributes.set(attribute, 1);
    attributes.set(keySumAttribute(attribute), c.recordKey);
  }
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
    for (const scope of scopesOf(c)) {
      const key = counterKey(scope, c.year);
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
