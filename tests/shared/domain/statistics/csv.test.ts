import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ONE_WAY_TABLES, readStatistics, type Statistics, StatisticsQuerySchema, statisticsCsv } from '#domain/statistics/index.js';
import { MemoryCounters } from '../../../support/in-memory-ports.js';

const items: Record<string, Record<string, number>> = {
  'counter#province#FR#2022': { total: 1, 'form#arbeid': 1, 'municipality#GM1900': 1, 'month#2022-07': 1, 'ageBand#12-17': 1 },
  'counter#province#FR#2023': {
    total: 4,
    'form#arbeid': 3,
    'form#seksueel': 1,
    'municipality#GM1900': 3,
    'municipality#onbekend': 1,
    'month#2023-03': 4,
    'sourceType#=HYPERLINK("x")': 1,
    'sourceType#gemeente': 3,
    'ageBand#65+': 2,
    'municipality|form#GM1900|arbeid': 3,
    'municipality|form#onbekend|seksueel': 1,
    'k:total': 1234,
  },
};

async function read(q: object): Promise<Statistics> {
  const store = new MemoryCounters();
  for (const [key, item] of Object.entries(items)) store.items.set(key, { ...item });
  return readStatistics(StatisticsQuerySchema.parse(q), store);
}

/** The CSV as Excel reads it: BOM off, CRLF lines, `;` fields, RFC 4180 quotes. */
function parse(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.slice(1).replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  return text
    .slice(1, -2)
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^;]*)(;|$)/g)]
        .filter((m, i, all) => i < all.length - 1 || m[0] !== '')
        .map((m) => m[1]!.replace(/^"(.*)"$/s, '$1').replaceAll('""', '"')),
    );
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

describe('statisticsCsv, long format', () => {
  it('lists every one-way table under tabel;code;naam;aantal, and each sums to the JSON', async () => {
    const stats = await read({ from: '2022', to: '2023', province: 'FR' });
    const { text, filename } = statisticsCsv(stats);
    const [header, ...rows] = parse(text);
    expect(header).toEqual(['tabel', 'code', 'naam', 'aantal']);
    expect(rows.every((row) => row.length === 4)).toBe(true);
    const labels = [...new Set(rows.map((row) => row[0]))];
    expect(labels).toHaveLength(ONE_WAY_TABLES.length);
    for (const [i, table] of ONE_WAY_TABLES.entries()) {
      const csvSum = rows.filter((row) => row[0] === labels[i]).reduce((a, row) => a + Number(row[3]), 0);
      const jsonSum = Object.values(stats[table]).reduce((a, b) => a + b, 0);
      expect([table, csvSum]).toEqual([table, jsonSum]);
    }
    expect(filename).toBe('meldroute-2022-2023-fryslan.csv');
  });

  it('names municipalities, provinces, months and age bands beside their codes', async () => {
    const rows = parse(statisticsCsv(await read({ year: '2023', province: 'FR' })).text);
    expect(rows).toContainEqual(['gemeente', 'GM1900', 'Súdwest-Fryslân', '3']);
    expect(rows).toContainEqual(['gemeente', 'onbekend', 'onbekend', '1']);
    expect(rows).toContainEqual(['provincie', 'FR', 'Fryslân', '0']);
    expect(rows).toContainEqual(['maand', '2023-03', 'maart 2023', '4']);
    expect(rows).toContainEqual(['leeftijd', '12-17', '12 t/m 17 jaar', '0']);
    expect(rows).toContainEqual(['leeftijd', '65+', '65 jaar en ouder', '2']);
    expect(rows).toContainEqual(['vorm', 'arbeid', 'arbeid', '3']);
  });

  it('keeps text that a spreadsheet would run as a formula as text', async () => {
    const { text } = statisticsCsv(await read({ year: '2023', province: 'FR' }));
    expect(text).toContain(`soort bron;"'=HYPERLINK(""x"")";"'=HYPERLINK(""x"")";1\r\n`);
  });

  it('names uncounted signals in a last row, as the JSON warns of them', async () => {
    const stats = await read({ year: '2023' });
    const warned = { ...stats, warnings: [{ code: 'uncounted-signals' as const, count: 2, message: '2 signalen konden (nog) niet worden geteld; x.' }] };
    expect(parse(statisticsCsv(warned).text).at(-1)).toEqual(['waarschuwing', 'uncounted-signals', '2 signalen konden (nog) niet worden geteld; x.', '2']);
  });
});

describe('statisticsCsv, one table', () => {
  it('gives code;gemeente;aantal for the municipalities, with names', async () => {
    const stats = await read({ year: '2023', province: 'FR' });
    const { text, filename } = statisticsCsv(stats, { table: 'byMunicipality' });
    const [header, ...rows] = parse(text);
    expect(header).toEqual(['code', 'gemeente', 'aantal']);
    expect(rows).toHaveLength(19);
    expect(rows).toContainEqual(['GM1900', 'Súdwest-Fryslân', '3']);
    expect(rows.reduce((a, row) => a + Number(row[2]), 0)).toBe(stats.total);
    expect(filename).toBe('meldroute-2023-fryslan-gemeente.csv');
  });

  it('gives vorm;aantal for a table whose values are their own names', async () => {
    const rows = parse(statisticsCsv(await read({ year: '2023', province: 'FR' }), { table: 'byForm' }).text);
    expect(rows).toEqual([
      ['vorm', 'aantal'],
      ['seksueel', '1'],
      ['arbeid', '3'],
      ['crimineel', '0'],
      ['orgaanverwijdering', '0'],
      ['onbekend', '0'],
    ]);
  });

  it('names the municipality in the file name when narrowed to one', async () => {
    expect(statisticsCsv(await read({ year: '2023', municipality: 'GM1900' })).filename).toBe('meldroute-2023-sudwest-fryslan.csv');
    expect(statisticsCsv(await read({ year: '2023' })).filename).toBe('meldroute-2023-noord-nederland.csv');
  });
});

describe('statisticsCsv, a cross table', () => {
  it('gives rows × columns with names and zeros, summing to the JSON', async () => {
    const stats = await read({ year: '2023', province: 'FR', cross: 'municipality,form' });
    for (const options of [{ cross: 'municipality,form' as const }, { table: 'cross' as const, cross: 'municipality,form' as const }]) {
      const { text, filename } = statisticsCsv(stats, options);
      const [header, ...rows] = parse(text);
      expect(header).toEqual(['code', 'gemeente', 'seksueel', 'arbeid', 'crimineel', 'orgaanverwijdering', 'onbekend']);
      expect(rows).toHaveLength(19);
      expect(rows).toContainEqual(['GM1900', 'Súdwest-Fryslân', '0', '3', '0', '0', '0']);
      expect(rows).toContainEqual(['GM0060', 'Ameland', '0', '0', '0', '0', '0']);
      expect(rows.flatMap((row) => row.slice(2)).reduce((a, n) => a + Number(n), 0)).toBe(stats.total);
      expect(filename).toBe('meldroute-2023-fryslan-gemeente-vorm.csv');
    }
  });

  it('gives jaar rows for year × form', async () => {
    const stats = await read({ from: '2021', to: '2023', province: 'FR', cross: 'year,form' });
    const rows = parse(statisticsCsv(stats, { cross: 'year,form' }).text);
    expect(rows[0]).toEqual(['jaar', 'seksueel', 'arbeid', 'crimineel', 'orgaanverwijdering', 'onbekend']);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['2021', '2022', '2023']);
    expect(rows[3]).toEqual(['2023', '1', '3', '0', '0', '0']);
  });
});
