import { describe, expect, it } from 'vitest';
import { entityTag, readStatistics, StatisticsQuerySchema, statisticsEtag } from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

const query = StatisticsQuerySchema.parse({ year: '2023' });
const key = 'counter#region#noord-nederland#2023';

describe('statisticsEtag', () => {
  it('is the same whatever order the item attributes came in, and whenever the answer was made', async () => {
    const one = new MemoryCounters();
    one.items.set(key, { total: 2, 'sourceType#b-nieuw': 1, 'sourceType#a-nieuw': 1 });
    const other = new MemoryCounters();
    other.items.set(key, { 'sourceType#a-nieuw': 1, 'sourceType#b-nieuw': 1, total: 2 });
    const a = await readStatistics(query, one, new Date('2026-01-01T00:00:00Z'));
    const b = await readStatistics(query, other, new Date('2026-01-02T00:00:00Z'));
    expect(Object.keys(a.bySourceType).slice(-2)).toEqual(['a-nieuw', 'b-nieuw']);
    expect(statisticsEtag(a)).toBe(statisticsEtag(b));
  });

  it('differs for another count, and between media types', async () => {
    const store = new MemoryCounters();
    store.items.set(key, { total: 2 });
    const before = await readStatistics(query, store);
    store.items.set(key, { total: 3 });
    expect(statisticsEtag(await readStatistics(query, store))).not.toBe(statisticsEtag(before));
    expect(entityTag('text/csv', 'x')).not.toBe(entityTag('application/json', 'x'));
    expect(entityTag('text/csv', 'x')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
  });
});
