/** Remembers look-ups (found or not) for a while, as a warm Lambda may: also how long a change takes to show. */
export class LookupCache<V> {
  private readonly entries = new Map<string, { value: V | undefined; until: number }>();

  constructor(private readonly ttlMs: number) {}

  async get(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    const cached = this.entries.get(key);
    if (cached && cached.until > Date.now()) return cached.value;
    const value = await load();
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }
}
