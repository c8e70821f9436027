import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hashApiKey, type Principal } from '#domain/partners/index.js';
import { type CounterItemsReader, makeReleaseIfDue } from '#domain/statistics/index.js';
import { pageQuery } from '../../../functions/cijfers-page/query.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { MemoryReleases } from '../../support/memory-releases.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({ STATISTICS_TABLE: 'statistics', PARTNERS_TABLE: 'partners' });
const { cijfersPageHandler } = await import('../../../functions/cijfers-page/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const READER_KEY = 'mr_test_reader';
const WRITER_KEY = 'mr_test_writer';
const principal = (scopes: string[]): Principal => ({ organisation: 'Gemeente Emmen', sourceType: 'gemeente', region: 'noord-nederland', scopes });
const keys = {
  findByHash: async (hash: string) =>
    hash === hashApiKey(READER_KEY) ? principal(['statistics:read']) : hash === hashApiKey(WRITER_KEY) ? principal(['signals:write']) : undefined,
};

let releases: MemoryReleases;
/** The exact figures read the live items (the `k:` key sums beside the counts are left out by readStatistics). */
const counters: CounterItemsReader = {
  readItems: async (keys) => ({
    items: new Map(keys.flatMap((key) => (releases.live.has(key) ? [[key, { counts: { ...releases.live.get(key)! } }] as const] : []))),
    uncounted: [],
  }),
};

/** Counts signals in Drenthe in a year as the aggregator would: `n` times the attributes, each with its own record key. */
function count(year: number, n: number, attributes: string[]) {
  for (let i = 0; i < n; i++) releases.count(`counter#province#DR#${year}`, ['total', ...attributes], (i * 37 + year) % 256);
}
const release = (at: string) => makeReleaseIfDue('noord-nederland', new Date(at), { store: releases, intervalMs: 0 });

const event = (rawQueryString: string, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'GET', path: '/cijfers', query: rawQueryString, headers, sourceIp: '127.0.0.1' });

const get = async (query: string, headers: Record<string, string> = {}) =>
  (await cijfersPageHandler({ counters, releases, keys })(event(query, headers), lambdaContext('cijfers-page', 'eu-central-1'))) as Answer;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] });
  releases = new MemoryReleases();
  count(2026, 30, ['form#arbeid', 'municipality#GM0114']);
  count(2026, 2, ['form#seksueel', 'municipality#GM0106']);
  count(2025, 4, ['form#arbeid', 'municipality#GM0106']);
});
afterEach(() => vi.useRealTimers());

describe('GET /cijfers without a key: the public release', () => {
  it('before the first release: says there are no public figures yet, and shows no exact ones', async () => {
    const page = await get('gebied=DR');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Er zijn nog geen openbare cijfers');
    expect(page.body).not.toContain('<svg');
    const json = await get('gebied=DR', { accept: 'application/json' });
    expect(JSON.parse(json.body!)).toMatchObject({ release: null, notice: expect.any(String) });
    expect(json.body).not.toContain('"total"');
  });

  it('answers the page with the released figures, small counts by their label, never the exact ones', async () => {
    await release('2026-11-22T12:00:00Z');
    count(2026, 5, ['form#crimineel']); // counted after the release: not shown
    const answer = await get('van=2025&tot=2026&gebied=DR', { accept: 'text/html' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    expect(answer.headers.vary).toContain('Authorization');
    expect(answer.headers['content-security-policy']).toContain("script-src 'self'");
    expect(answer.body).toContain('Bijgewerkt op 22 november 2026 om 13:00, volgende update op zijn vroegst 22 november 2026 om 13:00.');
    expect(answer.body).toContain('data-mode="public"');
    expect(answer.body).toMatch(/<th scope="row"[^>]*>Seksuele uitbuiting<\/th><td[^>]*>&lt;/);
    expect(answer.body).toMatch(/<th scope="row"[^>]*>Criminele uitbuiting<\/th><td[^>]*>0</);
    expect(answer.body).toContain('/v1/public/statistics?');
  });

  it('answers JSON with the public ETag to Accept: application/json, and 304 until the next release', async () => {
    await release('2026-11-22T12:00:00Z');
    const first = await get('gebied=DR&van=2026&tot=2026', { accept: 'application/json' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json');
    expect(JSON.parse(first.body!)).toMatchObject({ province: 'DR', byForm: { seksueel: null }, release: expect.any(Object) });
    const poll = { accept: 'application/json', 'if-none-match': first.headers.etag! };
    const reads = releases.calls.readReleased;
    expect((await get('gebied=DR&van=2026&tot=2026', poll)).statusCode).toBe(304);
    expect(releases.calls.readReleased).toBe(reads); // answered from the release pointer alone
    count(2026, 4, ['form#crimineel']);
    count(2026, 1, ['form#seksueel']); // five signals not all in one cell: a release may show them (releasableChange)
    expect((await get('gebied=DR&van=2026&tot=2026', poll)).statusCode).toBe(304);
    await release('2026-11-23T12:00:00Z');
    const moved = await get('gebied=DR&van=2026&tot=2026', poll);
    expect(moved.statusCode).toBe(200);
    expect(JSON.parse(moved.body!).byForm.crimineel).not.toBe(0); // 5 or more, or suppressed
  });
});

describe('GET /cijfers with a key', () => {
  it('shows the exact live figures to a key with statistics:read, private and not stored, without the key in the page', async () => {
    const answer = await get('van=2026&tot=2026&gebied=DR', { authorization: `Bearer ${READER_KEY}` });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect(answer.body).toContain('data-mode="exact"');
    expect(answer.body).toMatch(/Bijgewerkt om 13:00:00\./);
    expect(answer.body).toMatch(/<th scope="row"[^>]*>Seksuele uitbuiting<\/th><td[^>]*>2<\/td>/);
    expect(answer.body).toContain('/v1/statistics?region=noord-nederland&amp;year=2026&amp;province=DR&amp;format=csv&amp;table=byForm');
    expect(answer.body).not.toContain(READER_KEY);
    expect(releases.calls.latest).toBe(0);
  });

  it('polls the exact figures as JSON with an ETag that moves when a count moves', async () => {
    const headers = { authorization: `Bearer ${READER_KEY}`, accept: 'application/json' };
    const first = await get('van=2026&tot=2026&gebied=DR', headers);
    expect(JSON.parse(first.body!)).toMatchObject({ total: 32, byForm: { seksueel: 2 } });
    expect((await get('van=2026&tot=2026&gebied=DR', { ...headers, 'if-none-match': first.headers.etag! })).statusCode).toBe(304);
    count(2026, 1, ['form#seksueel']);
    const moved = await get('van=2026&tot=2026&gebied=DR', { ...headers, 'if-none-match': first.headers.etag! });
    expect(moved.statusCode).toBe(200);
    expect(moved.headers.etag).not.toBe(first.headers.etag);
  });

  it('refuses an unknown key with 401 and a key without statistics:read with 403, as page or problem', async () => {
    const unknown = await get('', { authorization: 'Bearer mr_nobody' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toContain('Bearer');
    expect(unknown.body).toContain('Niet geautoriseerd');
    const writer = await get('', { 'x-api-key': WRITER_KEY, accept: 'application/json' });
    expect(writer.statusCode).toBe(403);
    expect(JSON.parse(writer.body!)).toMatchObject({ status: 403, detail: expect.stringContaining('statistics:read') });
  });
});

describe('GET /cijfers with a filter it cannot show', () => {
  it('answers the page again with each error at its field (422), or a problem for JSON', async () => {
    const page = await get('van=2026&tot=2024&gebied=XX');
    expect(page.statusCode).toBe(422);
    expect(page.body).toContain('id="cijfers-fout-tot"');
    expect(page.body).toContain('id="cijfers-fout-gebied"');
    expect(page.body).toContain('<option value="2026" selected>2026</option>');
    const json = await get('van=1999', { accept: 'application/json' });
    expect(json.statusCode).toBe(422);
    expect(JSON.parse(json.body!).errors).toEqual([{ pointer: '/van', detail: 'Cijfers zijn er vanaf 2000.' }]);
  });
});

describe('pageQuery', () => {
  const read = (query: string) => pageQuery(new URLSearchParams(query), 2026);

  it('shows the last five years of the region when the URL names nothing, and ignores parameters it does not know', () => {
    expect(read('utm_source=nieuwsbrief&fbclid=x')).toEqual({
      filter: { values: { van: '2022', tot: '2026', gebied: 'noord-nederland' }, errors: {} },
      query: { region: 'noord-nederland', from: 2022, to: 2026 },
    });
  });

  it('reads a municipality, a province or the region from gebied', () => {
    expect(read('gebied=GM0106&van=2025&tot=2025').query).toEqual({ region: 'noord-nederland', municipality: 'GM0106', from: 2025, to: 2025 });
    expect(read('gebied=FR&tot=2024').query).toEqual({ region: 'noord-nederland', province: 'FR', from: 2024, to: 2024 });
    expect(read('gebied=__proto__').filter.errors.gebied).toContain('Kies een gebied');
  });

  it('says in Dutch what is wrong with the years', () => {
    expect(read('van=2026&tot=2025').filter.errors).toEqual({ tot: 'Kies bij „tot en met” een jaar dat niet vóór „van” ligt.' });
    expect(read('van=20x1').filter.errors.van).toContain('vier cijfers');
    expect(read('tot=2027').filter.errors.tot).toBe('Dat jaar is nog niet begonnen.');
  });

  it('reads zonder=riec, the checkbox "Zonder RIEC-zaken", as excludeRoute=riec, and names a wrong route under its field', () => {
    expect(read('gebied=DR&van=2023&tot=2023&zonder=riec')).toEqual({
      filter: { values: { van: '2023', tot: '2023', gebied: 'DR', zonder: 'riec' }, errors: {} },
      query: { region: 'noord-nederland', province: 'DR', from: 2023, to: 2023, excludeRoute: ['riec'] },
    });
    expect(read('zonder=').query).not.toHaveProperty('excludeRoute');
    expect(read('zonder=politie').filter.errors.zonder).toContain('Onbekende route');
  });
});
