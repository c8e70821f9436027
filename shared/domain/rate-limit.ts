import type { RateCounter } from './ports.js';

export interface RateLimits {
  perMinute: number;
  perDay: number;
}

export type RateVerdict = { allowed: true } | { allowed: false; window: 'minute' | 'day'; retryAfterSeconds: number };

const WINDOWS = [
  { name: 'minute', seconds: 60, limit: (l: RateLimits) => l.perMinute },
  { name: 'day', seconds: 86_400, limit: (l: RateLimits) => l.perDay },
] as const;

/**
 * Counts a request against fixed windows of a minute and a day. `subject` is already a pseudonym (of
 * the client's address): the counters never hold an address.
 */
export async function consumeRate(subject: string, limits: RateLimits, counter: RateCounter, now = new Date()): Promise<RateVerdict> {
  const seconds = Math.floor(now.getTime() / 1000);
  for (const window of WINDOWS) {
    const start = seconds - (seconds % window.seconds);
    const count = await counter.increment(`rate#${subject}#${window.name}#${start}`, start + window.seconds + 3_600);
    if (count > window.limit(limits)) return { allowed: false, window: window.name, retryAfterSeconds: start + window.seconds - seconds };
  }
  return { allowed: true };
}
