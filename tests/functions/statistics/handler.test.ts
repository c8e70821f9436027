import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { MemoryCounters } from '../../support/in-memory-ports.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires a real client at load; these only name resources, nothing is called.
stubHandlerEnvironment({ STATISTICS_TABLE: 'statistics' });
const { statisticsHandler } = await import('../../../functions/statistics/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const allow = { verdict: 'allow', organisation: 'Gemeente Emmen', sourceType: 'gemeente', region: 'noord-nederland', scopes: 'statistics:read' };
const event = (rawQueryString: string, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'GET', path: '/v1/statistics', query: rawQueryString, headers, verdict: allow });

let store: MemoryCounters;
const get = async (query: string, headers: Record<string, string> = {}) =>
  (await statisticsHandler(store)(event(query, headers), lambdaContext('statistics', 'eu-central-1'))) as Answer;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] });
  store = new MemoryCounters();
  store.items.set('counter#region#noord-nederland#2023', { total: 3, 'form#arbeid': 2, 'form#seksueel': 1, 'municipality#GM0114': 3, 'month#2023-05': 3 });
  store.items.set('counter#region#noord-nederland#2022', { total: 1, 'form#arbeid': 1, 'month#2022-01': 1, 'municipality#onbekend': 1 });
});
afterEach(() => vi.useRealTimers());

describe('GET /v1/statistics: ETag and 304', () => {
  it('answers JSON with a strong ETag, private no-store and Vary: Accept', async () => {
    const answer = await get('year=2023');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'private, no-store', vary: 'Accept' });
    expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(JSON.parse(answer.body!)).toMatchObject({ year: 2023, total: 3, previousYear: 1, byYear: { 2023: 3 } });
  });

  it('keeps the ETag while the counts stay, though generatedAt moves', async () => {
    const first = await get('year=2023');
    vi.setSystemTime(new Date('2026-11-23T12:05:00Z'));
    const second = await get('year=2023');
    expect(JSON.parse(second.body!).generatedAt).not.toBe(JSON.parse(first.body!).generatedAt);
    expect(second.headers.etag).toBe(first.headers.etag);
    // The same figures asked as a period of one year are the same answer.
    expect((await get('from=2023&to=2023')).headers.etag).toBe(first.headers.etag);
  });

  it('changes the ETag when a count changes, when a warning appears, and for another query', async () => {
    const { etag } = (await get('year=2023')).headers;
    store.items.get('counter#region#noord-nederland#2023')!['form#arbeid'] = 1;
    store.items.get('counter#region#noord-nederland#2023')!['form#crimineel'] = 1;
    const moved = (await get('year=2023')).headers.etag;
    expect(moved).not.toBe(etag);
    await store.markUncounted(['noord-nederland'], 1, { signalId: 's', markedAt: '2026-11-23T11:00:00.000Z', error: 'TypeError', year: 2023 });
    const warned = (await get('year=2023')).headers.etag;
    expect(new Set([etag, moved, warned]).size).toBe(3);
    expect((await get('year=2023&province=DR')).headers.etag).not.toBe(warned);
    expect((await get('year=2023&cross=month,form')).headers.etag).not.toBe(warned);
  });

  it('changes the ETag when the year before changes, as previousYear shows it', async () => {
    const { etag } = (await get('year=2023')).headers;
    store.items.get('counter#region#noord-nederland#2022')!.total = 2;
    expect((await get('year=2023')).headers.etag).not.toBe(etag);
  });

  it('does not change the ETag for a key sum or a change time alone', async () => {
    const { etag } = (await get('year=2023')).headers;
    store.items.get('counter#region#noord-nederland#2023')!['k:total'] = 999;
    store.items.get('counter#region#noord-nederland#2023')!.updatedAt = Date.parse('2026-11-23T11:59:00Z');
    const answer = await get('year=2023');
    expect(answer.headers.etag).toBe(etag);
    expect(JSON.parse(answer.body!).updatedAt).toBe('2026-11-23T11:59:00.000Z');
  });

  it('answers 304 without a body to If-None-Match with the current tag, weak, in a list or *', async () => {
    const { etag } = (await get('year=2023')).headers;
    for (const ifNoneMatch of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const answer = await get('year=2023', { 'if-none-match': ifNoneMatch });
      expect(answer.statusCode).toBe(304);
      expect(answer.body).toBeUndefined();
      expect(answer.headers).toMatchObject({ etag, 'cache-control': 'private, no-store', vary: 'Accept' });
      expect(answer.headers['content-type']).toBeUndefined();
    }
  });

  it('answers 200 to If-None-Match with an old tag', async () => {
    const { etag } = (await get('year=2023')).headers;
    store.items.get('counter#region#noord-nederland#2023')!.total = 4;
    const answer = await get('year=2023', { 'if-none-match': etag! });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers.etag).not.toBe(etag);
    expect((await get('year=2023', { 'if-none-match': '"garbage' })).statusCode).toBe(200);
  });
});

describe('GET /v1/statistics: CSV and 406', () => {
  it('answers CSV for Accept: text/csv, with a BOM, a file name and an ETag of its own', async () => {
    const json = await get('year=2023');
    const csv = await get('year=2023', { accept: 'text/csv' });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers).toMatchObject({
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': 'attachment; filename="meldroute-2023-noord-nederland.csv"',
      'cache-control': 'private, no-store',
      vary: 'Accept',
    });
    expect(csv.body!.startsWith('\uFEFFtabel;code;naam;aantal\r\n')).toBe(true);
    expect(csv.headers.etag).not.toBe(json.headers.etag);
    expect((await get('year=2023', { accept: 'text/csv', 'if-none-match': csv.headers.etag! })).statusCode).toBe(304);
    expect((await get('year=2023', { 'if-none-match': csv.headers.etag! })).statusCode).toBe(200);
  });

  it('sums in CSV to what the JSON says', async () => {
    const json = JSON.parse((await get('from=2022&to=2023')).body!);
    const rows = (await get('from=2022&to=2023&format=csv')).body!.slice(1).trim().split('\r\n').slice(1);
    const sumOf = (label: string) => rows.filter((r) => r.startsWith(`${label};`)).reduce((a, r) => a + Number(r.split(';').at(-1)), 0);
    expect([sumOf('jaar'), sumOf('vorm'), sumOf('maand'), sumOf('gemeente')]).toEqual([json.total, json.total, json.total, json.total]);
    expect(json.total).toBe(4);
  });

  it('takes format=csv before Accept, and picks by Accept otherwise', async () => {
    const type = async (query: string, accept?: string) => (await get(query, accept ? { accept } : {})).headers['content-type'];
    expect(await type('year=2023&format=csv', 'application/json')).toMatch(/^text\/csv/);
    expect(await type('year=2023&format=json', 'text/csv')).toBe('application/json');
    expect(await type('year=2023')).toBe('application/json');
    expect(await type('year=2023', '*/*')).toBe('application/json');
    expect(await type('year=2023', 'text/*')).toMatch(/^text\/csv/);
    expect(await type('year=2023', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('application/json');
    expect(await type('year=2023', 'application/json;q=0.5, text/csv')).toMatch(/^text\/csv/);
  });

  it('gives one table, or the cross table, as CSV', async () => {
    const one = await get('year=2023&format=csv&table=byMunicipality');
    expect(one.body).toContain('\r\nGM0114;Emmen;3\r\n');
    expect(one.headers['content-disposition']).toBe('attachment; filename="meldroute-2023-noord-nederland-gemeente.csv"');
    const cross = await get('year=2023&cross=month,form', { accept: 'text/csv' });
    expect(cross.body!.split('\r\n')[0]).toBe('\uFEFFcode;maand;seksueel;arbeid;crimineel;orgaanverwijdering;onbekend');
    expect(cross.body!.split('\r\n')).toHaveLength(14); // header, 12 months, and the end of the last line
  });

  it('answers 406 with a problem for an Accept it cannot give', async () => {
    for (const accept of ['text/html', 'application/xml', 'application/json;q=0, text/csv;q=0']) {
      const answer = await get('year=2023', { accept });
      expect(answer.statusCode).toBe(406);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(answer.body!)).toMatchObject({ status: 406, title: 'Formaat niet beschikbaar' });
    }
  });
});

describe('GET /v1/statistics: 422', () => {
  const pointers = async (query: string, headers: Record<string, string> = {}) => {
    const answer = await get(query, headers);
    expect(answer.statusCode).toBe(422);
    return (JSON.parse(answer.body!) as { errors: { pointer: string }[] }).errors.map((e) => e.pointer);
  };

  it('refuses year with from, to before from, an unknown pair and an unknown table', async () => {
    expect(await pointers('year=2023&from=2022')).toEqual(['/year']);
    expect(await pointers('from=2023&to=2022')).toEqual(['/to']);
    expect(await pointers('year=2023&cross=form,municipality')).toEqual(['/cross']);
    expect(await pointers('year=2023&format=csv&table=byWeather')).toEqual(['/table']);
    expect(await pointers('')).toEqual(['/year']);
  });

  it('refuses table for a JSON answer: it picks a CSV table', async () => {
    expect(await pointers('year=2023&table=byForm')).toEqual(['/table']);
    expect(await pointers('year=2023&table=byForm&format=json', { accept: 'text/csv' })).toEqual(['/table']);
  });
});

describe('GET /v1/statistics: excludeRoute', () => {
  beforeEach(() => {
    // Three signals in 2023, one of them decided riec: its route-set item beside the counter item.
    const all = store.items.get('counter#region#noord-nederland#2023')!;
    Object.assign(all, { 'route#riec': 1, 'route#geen-besluit': 2, 'routeSet#riec': 1, 'routeSet#geen-besluit': 2 });
    store.items.set('counter#region#noord-nederland#2023#routeSet#riec', {
      total: 1,
      'form#seksueel': 1,
      'municipality#GM0114': 1,
      'month#2023-05': 1,
      'route#riec': 1,
      'routeSet#riec': 1,
    });
  });

  it('answers the figures without the signals of that route, says so, and has an ETag of its own', async () => {
    const all = await get('year=2023');
    const without = await get('year=2023&excludeRoute=riec');
    expect(JSON.parse(all.body!)).toMatchObject({ total: 3, byRoute: { riec: 1, 'geen-besluit': 2 } });
    expect(JSON.parse(without.body!)).toMatchObject({ excludeRoute: ['riec'], total: 2, byForm: { arbeid: 2, seksueel: 0 }, byRoute: { riec: 0 } });
    expect(without.headers.etag).not.toBe(all.headers.etag);
    // Repeated or with commas, in any order: the same question, the same tag.
    expect((await get('year=2023&excludeRoute=riec&excludeRoute=riec')).headers.etag).toBe(without.headers.etag);
  });

  it('as CSV names the file after what was left out', async () => {
    const csv = await get('year=2023&excludeRoute=riec&format=csv&table=byRoute');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="meldroute-2023-noord-nederland-zonder-riec-route.csv"');
    expect(csv.body!.split('\r\n').slice(0, 2)).toEqual(['\uFEFFcode;route;aantal', 'zorg;zorg;0']);
  });

  it('refuses a route it does not know with a Dutch problem naming excludeRoute', async () => {
    const answer = await get('year=2023&excludeRoute=politie');
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body!).errors).toEqual([{ pointer: '/excludeRoute', detail: expect.stringContaining('Onbekende route') }]);
  });
});

describe('GET /v1/statistics: answers kept by revision', () => {
  /** A reader whose items carry revisions, as the DynamoDB reader's do. */
  const revisioned = (items: Map<string, { counts: Record<string, number>; revision: number }>) => ({
    readItems: async (keys: readonly string[]) => ({ items: new Map(keys.flatMap((k) => (items.has(k) ? [[k, items.get(k)!] as const] : []))), uncounted: [] }),
  });

  it('answers the kept figures while every revision holds, with a fresh generatedAt, and sums anew once one moves', async () => {
    const items = new Map([['counter#region#noord-nederland#2023', { counts: { total: 3 }, revision: 1 }]]);
    const handler = statisticsHandler(revisioned(items));
    const ask = async () => JSON.parse(((await handler(event('year=2023'), lambdaContext('statistics', 'eu-central-1'))) as Answer).body!);
    expect((await ask()).total).toBe(3);
    // The same revision with other counts cannot happen in a store; here it shows the answer was kept.
    items.set('counter#region#noord-nederland#2023', { counts: { total: 4 }, revision: 1 });
    vi.setSystemTime(new Date('2026-11-23T12:05:00Z'));
    const kept = await ask();
    expect(kept).toMatchObject({ total: 3, generatedAt: '2026-11-23T12:05:00.000Z' });
    items.set('counter#region#noord-nederland#2023', { counts: { total: 4 }, revision: 2 });
    expect((await ask()).total).toBe(4);
  });

  it('makes the answer anew each time for items without a revision', async () => {
    const items = new Map([['counter#region#noord-nederland#2023', { counts: { total: 3 } }]]);
    const handler = statisticsHandler({ readItems: async () => ({ items: new Map(items), uncounted: [] }) });
    const ask = async () => JSON.parse(((await handler(event('year=2023'), lambdaContext('statistics', 'eu-central-1'))) as Answer).body!);
    expect((await ask()).total).toBe(3);
    items.set('counter#region#noord-nederland#2023', { counts: { total: 5 } });
    expect((await ask()).total).toBe(5);
  });
});
