import { afterEach, describe, expect, it, vi } from 'vitest';
import { LookupCache } from '#adapters/cache/lookup-cache.js';

afterEach(() => vi.useRealTimers());

describe('LookupCache', () => {
  it('answers a look-up (found or not) from memory until its time is up, then loads it again', async () => {
    vi.useFakeTimers({ now: 0 });
    const cache = new LookupCache<string>(60_000);
    const load = vi.fn(async () => undefined);
    await cache.get('k', load);
    vi.setSystemTime(59_999);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(1);
    vi.setSystemTime(60_000);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps at most its capacity of look-ups, forgetting the one used longest ago, so unknown keys cannot grow its memory', async () => {
    const cache = new LookupCache<string>(60_000, 2);
    const load = vi.fn(async () => 'v');
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load); // a is now the most recently used
    await cache.get('c', load); // b goes
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get('a', load);
    expect(load).toHaveBeenCalledTimes(3);
    await cache.get('b', load);
    expect(load).toHaveBeenCalledTimes(4);
  });
});
