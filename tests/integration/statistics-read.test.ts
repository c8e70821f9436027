import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * The read side of GET /v1/statistics over the emulators: ETag and 304, CSV against JSON, periods and a
 * cross table that moves with corrections. Only the dimensions counted before issue 14 (form,
 * municipality, month) are relied on, so these hold whatever the aggregator adds. Each test files its
 * signals in years of its own.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const statistics = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${stack.ready.apiUrl}/v1/statistics?${query}`, { headers: { 'x-api-key': stack.key('statistics:read'), ...headers } });

async function file(signal: object): Promise<string> {
  const response = await stack.post(signal);
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
}

/** Polls with If-None-Match until the answer changes; returns the new answer. */
async function waitForChange(query: string, etag: string, timeoutMs = 15_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await statistics(query, { 'if-none-match': etag });
    if (response.status !== 304) return response;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${query} still answered 304 for ${etag}`);
}

/** The CSV's rows as fields, after its BOM (which Response.text() has already taken off). */
const rowsOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .filter(Boolean)
    .map((line) => line.split(';'));

describe('GET /v1/statistics ETag', () => {
  it('answers 304 without a body to the ETag it gave, until a new signal changes it', async () => {
    await file({ observedAt: '2013-04-02', municipality: 'GM0014', form: 'arbeid' });
    await stack.waitForStatistics('year=2013', (s) => s.total === 1);

    const first = await statistics('year=2013');
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);

    const again = await statistics('year=2013', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('content-type')).toBeNull();
    expect(await again.text()).toBe('');

    await file({ observedAt: '2013-05-02', municipality: 'GM0014', form: 'seksueel' });
    const changed = await waitForChange('year=2013', etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.json()).toMatchObject({ total: 2, byForm: { arbeid: 1, seksueel: 1 }, byMunicipality: { GM0014: 2 } });
  });
});

describe('GET /v1/statistics as CSV', () => {
  it('sums to the JSON, names municipalities beside their codes, and answers 406 for a format it cannot give', async () => {
    await Promise.all([
      file({ observedAt: '2012-01-10', municipality: 'GM0114', form: 'arbeid' }),
      file({ observedAt: '2012-02-10', municipality: 'GM0114', form: 'seksueel' }),
      file({ observedAt: '2012-02-11', municipality: 'GM1900', form: 'onbekend' }),
    ]);
    const json = await stack.waitForStatistics('year=2012', (s) => s.total === 3);

    const response = await statistics('year=2012', { accept: 'text/csv' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="meldroute-2012-noord-nederland.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = rowsOf(bytes.toString('utf8'));
    expect(header).toEqual(['tabel', 'code', 'naam', 'aantal']);
    const sumOf = (label: string) => rows.filter((r) => r[0] === label).reduce((a, r) => a + Number(r[3]), 0);
    expect(sumOf('vorm')).toBe(json.total);
    expect(sumOf('gemeente')).toBe(json.total);
    expect(sumOf('maand')).toBe(json.total);
    expect(rows).toContainEqual(['gemeente', 'GM0114', 'Emmen', '2']);
    expect(rows).toContainEqual(['gemeente', 'GM1900', 'Súdwest-Fryslân', '1']);

    const table = await statistics('year=2012&format=csv&table=byMunicipality');
    const [tableHeader, ...tableRows] = rowsOf(await table.text());
    expect(tableHeader).toEqual(['code', 'gemeente', 'aantal']);
    expect(tableRows.reduce((a, r) => a + Number(r[2]), 0)).toBe(json.total);

    const refused = await statistics('year=2012', { accept: 'text/html' });
    expect(refused.status).toBe(406);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('GET /v1/statistics over a period', () => {
  it('sums from to to, lists every year in byYear and gives the year before', async () => {
    await Promise.all([
      file({ observedAt: '2007-06-01', municipality: 'GM0106', form: 'arbeid' }),
      file({ observedAt: '2008-06-01', municipality: 'GM0106', form: 'arbeid' }),
      file({ observedAt: '2008-07-01', municipality: 'GM0106', form: 'crimineel' }),
      file({ observedAt: '2010-06-01', municipality: 'GM0106', form: 'seksueel' }),
    ]);
    const stats = await stack.waitForStatistics('from=2008&to=2011&province=DR', (s) => s.total === 3 && s.previousYear === 1);
    expect(stats).toMatchObject({ from: 2008, to: 2011, byYear: { 2008: 2, 2009: 0, 2010: 1, 2011: 0 }, byForm: { arbeid: 1, crimineel: 1, seksueel: 1 } });
    expect(stats.year).toBeUndefined();
    expect(Object.keys(stats.byMonth)).toHaveLength(48);
    expect(await stack.statistics('year=2008&province=DR')).toMatchObject({ year: 2008, total: 2, previousYear: 1 });

    const invalid = await statistics('year=2008&from=2008');
    expect(invalid.status).toBe(422);
  });
});

describe('GET /v1/statistics?cross=month,form', () => {
  it('moves the counts in the cross table after a correction and a withdrawal', async () => {
    const first = await file({ observedAt: '2005-03-01', municipality: 'GM0080', form: 'onbekend' });
    const second = await file({ observedAt: '2005-09-01', municipality: 'GM0080', form: 'arbeid' });
    const query = 'year=2005&cross=month,form';
    const before = await stack.waitForStatistics(query, (s) => s.total === 2);
    expect(Object.keys(before.cross)).toHaveLength(12);
    expect(before.cross['2005-03']).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 1 });
    expect(before.cross['2005-09']).toMatchObject({ arbeid: 1 });
    expect(before.cross['2005-12']).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    const { etag } = Object.fromEntries((await statistics(query)).headers);

    expect((await stack.request('PATCH', `/v1/signals/${first}`, { form: 'seksueel' })).status).toBe(200);
    const corrected = await stack.waitForStatistics(query, (s) => s.cross['2005-03'].seksueel === 1);
    expect(corrected.cross['2005-03']).toMatchObject({ seksueel: 1, onbekend: 0 });
    expect(corrected.total).toBe(2);
    const afterCorrection = await waitForChange(query, etag!);
    expect(afterCorrection.status).toBe(200);

    expect((await stack.request('PATCH', `/v1/signals/${second}`, { status: 'ingetrokken' })).status).toBe(200);
    const withdrawn = await stack.waitForStatistics(query, (s) => s.total === 1);
    expect(withdrawn.cross['2005-09']).toEqual({ seksueel: 0, arbeid: 0, crimineel: 0, orgaanverwijdering: 0, onbekend: 0 });
    expect(withdrawn.cross['2005-03']).toMatchObject({ seksueel: 1 });

    const csv = rowsOf(await (await statistics(`${query}&format=csv`)).text());
    expect(csv[0]).toEqual(['code', 'maand', 'seksueel', 'arbeid', 'crimineel', 'orgaanverwijdering', 'onbekend']);
    expect(csv).toContainEqual(['2005-03', 'maart 2005', '1', '0', '0', '0', '0']);
    expect(
      csv
        .slice(1)
        .flatMap((r) => r.slice(2))
        .reduce((a, n) => a + Number(n), 0),
    ).toBe(withdrawn.total);
  });
});
