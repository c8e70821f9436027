import { UNKNOWN } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';

/** The dimensions under which one signal is counted; null when it is not counted at all. */
export interface Contribution {
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

/** Where a counter counts: the whole region, one province or one municipality. */
export type CounterScope = { kind: 'region' | 'province' | 'municipality'; code: string };

/** One counter item per scope and year; its attributes are the counts of each dimension value. */
export function counterKey(scope: CounterScope, year: number): string {
  return `counter#${scope.kind}#${scope.code}#${year}`;
}

export function contributionOf(signal: StoredSignal): Contribution | null {
  if (signal.status === 'ingetrokken') return null;
  return {
    year: Number(signal.observedAt.slice(0, 4)),
    month: signal.observedAt.slice(0, 7),
    region: signal.region,
    province: signal.province,
    municipality: signal.municipality,
    form: signal.form,
    sourceType: signal.sourceType,
    channel: signal.channel,
    signalType: signal.signalType,
  };
}

function attributesOf(c: Contribution): string[] {
  return [
    'total',
    `form#${c.form}`,
    `province#${c.province}`,
    `municipality#${c.municipality}`,
    `sourceType#${c.sourceType}`,
    `channel#${c.channel}`,
    `signalType#${c.signalType}`,
    `month#${c.month}`,
  ];
}

function scopesOf(c: Contribution): CounterScope[] {
  const scopes: CounterScope[] = [{ kind: 'region', code: c.region }];
  // An unknown province or municipality is counted in the scope above it, not as a scope of its own.
  if (c.province !== UNKNOWN) scopes.push({ kind: 'province', code: c.province });
  if (c.municipality !== UNKNOWN) scopes.push({ kind: 'municipality', code: c.municipality });
  return scopes;
}

/** Counter deltas, per counter item, that turn the counts of `from` into those of `to`. */
export type CounterDeltas = Map<string, Map<string, number>>;

export function counterDeltas(from: Contribution | null, to: Contribution | null): CounterDeltas {
  const deltas: CounterDeltas = new Map();
  const add = (c: Contribution, sign: 1 | -1) => {
    for (const scope of scopesOf(c)) {
      const key = counterKey(scope, c.year);
      const item = deltas.get(key) ?? new Map<string, number>();
      for (const attribute of attributesOf(c)) item.set(attribute, (item.get(attribute) ?? 0) + sign);
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
