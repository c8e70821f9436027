import { BoundedCache } from './bounded-cache.js';

/**
 * Remembers look-ups (found or not) for a while, as a warm Lambda may: also how long a change takes to show.
 * At most `capacity` of them, the one used longest ago forgotten first, so that requests naming ever new
 * keys (unknown API keys, say) cannot grow a warm function's memory.
 */
export class LookupCache<V> {
  private readonly entries: BoundedCache<{ value: V | undefined; until: number }>;

  constructor(
    private readonly ttlMs: number,
    capacity = 1_000,
  ) {
    this.entries = new BoundedCache(capacity);
  }

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.entries.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await load();
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
