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
 * Counts a request against sliding windows of a minute and a day, estimated from two fixed buckets:
 * this one, and the previous one weighted by how much of it still lies within the window. So five
 * reports at the end of one minute and a sixth at the start of the next are six within a minute.
 * `subject` is already a pseudonym (of the client's address): the counters never hold an address.
 */
export async function consumeRate(subject: string, limits: RateLimits, counter: RateCounter, now = new Date()): Promise<RateVerdict> {
  const seconds = now.getTime() / 1000;
  for (const window of WINDOWS) {
    const start = Math.floor(seconds / window.seconds) * window.seconds;
    const key = (bucketStart: number) => `rate#${subject}#${window.name}#${bucketStart}`;
    const current = await counter.increment(key(start), start + 2 * window.seconds + 3_600);
    const previous = await counter.read(key(start - window.seconds));
    const elapsed = (seconds - start) / window.seconds;
    const limit = window.limit(limits);
    if (current + previous * (1 - elapsed) > limit) {
      // When the estimate is down to the limit again, if nothing more comes in: while this bucket lasts
      // the previous one weighs less and less; after it, this one does.
      const untilBucketEnds = start + window.seconds - seconds;
      const wait =
        current <= limit ? window.seconds * (1 - (limit - current) / previous) - (seconds - start) : untilBucketEnds + window.seconds * (1 - limit / current);
      return { allowed: false, window: window.name, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
    }
  }
  return { allowed: true };
}
