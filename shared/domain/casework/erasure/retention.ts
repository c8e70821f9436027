import * as z from 'zod/mini';
import { geography } from '#domain/kernel/index.js';
import type { StoredSignal } from '#domain/signal/index.js';

const DAY_MS = 86_400_000;

/**
 * Five years: re-signalling within five years can still be seen (Stadskanaal: half of the victims are
 * signalled again). Counted in days, with the two leap days five years may hold, so never short of five years.
 */
export const DEFAULT_RETENTION_DAYS = 5 * 365 + 2;

/**
 * How long a signal's person is kept after the signal last changed: per region, as each region's table
 * agrees in its privacy protocol, else the default.
 */
export interface RetentionPolicy {
  defaultDays: number;
  byRegion: Readonly<Record<string, number>>;
}

const days = z.int().check(z.positive());

/**
 * The policy from its settings: the default in days and, per region, its own (JSON such as
 * `{"noord-nederland": 1825}`). A region that does not exist, or a number of days that is not a positive
 * whole number, is a fault in the configuration: it throws, at start-up rather than at the first sweep.
 */
export function retentionPolicyFrom(defaultDays: number, byRegionJson?: string): RetentionPolicy {
  const byRegion = byRegionJson?.trim() ? (JSON.parse(byRegionJson) as unknown) : {};
  const parsed = z
    .strictObject({ defaultDays: days, byRegion: z.partialRecord(z.enum(geography.regionCodes() as [string, ...string[]]), days) })
    .safeParse({ defaultDays, byRegion });
  if (!parsed.success) throw new Error(`invalid retention setting at ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`);
  return { defaultDays: parsed.data.defaultDays, byRegion: parsed.data.byRegion as Record<string, number> };
}

export const retentionDaysOf = (policy: RetentionPolicy, region: string): number => policy.byRegion[region] ?? policy.defaultDays;

/** Retention runs from the signal's last change (a decision, an enrichment), else from its receipt. */
export const retentionStartOf = (signal: Pick<StoredSignal, 'changedAt' | 'receivedAt'>): string => signal.changedAt ?? signal.receivedAt;

/** When the signal's person is to be stripped. */
export function retentionEndOf(signal: Pick<StoredSignal, 'changedAt' | 'receivedAt' | 'region'>, policy: RetentionPolicy): Date {
  return new Date(Date.parse(retentionStartOf(signal)) + retentionDaysOf(policy, signal.region) * DAY_MS);
}

export const isRetentionDue = (signal: Pick<StoredSignal, 'changedAt' | 'receivedAt' | 'region'>, policy: RetentionPolicy, now: Date): boolean =>
  retentionEndOf(signal, policy).getTime() <= now.getTime();

/** Signals whose last change lies before this may be due in some region: the shortest retention back from now. */
export function candidateCutoff(policy: RetentionPolicy, now: Date): string {
  const shortest = Math.min(policy.defaultDays, ...Object.values(policy.byRegion));
  return new Date(now.getTime() - shortest * DAY_MS).toISOString();
}
