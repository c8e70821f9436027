import { beforeEach, describe, expect, it, vi } from 'vitest';
import { makeReleaseIfDue } from '#domain/statistics/index.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { MemoryReleases } from '../../support/memory-releases.js';
import { anotherSignal } from '../../support/stored-signal.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires a real client at load; these only name resources, nothing is called.
stubHandlerEnvironment({ STATISTICS_TABLE: 'statistics' });
const { publicStatisticsHandler, PUBLIC_CACHE_CONTROL } = await import('../../../functions/public-statistics/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

// No authorizer: the route is public.
const event = (rawQueryString: string, headers: Record<string, string> = {}) =>
  apiEvent({ method: 'GET', path: '/v1/public/statistics', query: rawQueryString, headers });

let store: MemoryReleases;
const get = async (query: string, headers: Record<string, string> = {}) =>
  (await publicStatisticsHandler({ releases: store })(event(query, headers), lambdaContext('public-statistics', 'eu-central-1'))) as Answer;

async function release(at: string) {
  expect((await makeReleaseIfDue('noord-nederland', new Date(at), { store, intervalMs: 0 })).outcome).toBe('released');
}

beforeEach(() => {
  store = new MemoryReleases();
  for (let i = 0; i < 12; i++) store.countSignal(anotherSignal({ municipality: 'GM0114', form: 'arbeid' }));
  for (let i = 0; i < 2; i++) store.countSignal(anotherSignal({ municipality: 'GM0106', form: 'seksueel' }));
});

describe('GET /v1/public/statistics', () => {
  it('keeps an answer per release and query: the same question reads the release once, a new release is read anew', async () => {
    await release('2026-06-01T06:00:00Z');
    const handler = publicStatisticsHandler({ releases: store });
    const ask = async () => (await handler(event('year=2023'), lambdaContext('public-statistics', 'eu-central-1'))) as Answer;
    const read = vi.spyOn(store, 'readReleased');
    const first = await ask();
    const again = await ask();
    expect(again).toEqual(first);
    expect(read).toHaveBeenCalledTimes(1);

    const places = ['GM0114', 'GM0106', 'GM0109', 'GM0118', 'GM0119', 'GM1680'];
    for (const [i, municipality] of places.entries()) store.countSignal(anotherSignal({ municipality, form: i % 2 ? 'arbeid' : 'seksueel' }));
    await release('2026-06-02T06:00:00Z');
    read.mockClear();
    const after = await ask();
    expect(read).toHaveBeenCalled();
    expect(after.headers.etag).not.toBe(first.headers.etag);
  });

  it('before the first release answers 200 with release null and a notice, cacheable, with an ETag', async () => {
    store = new MemoryReleases();
    const answer = await get('year=2023');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': PUBLIC_CACHE_CONTROL, vary: 'Accept' });
    expect(JSON.parse(answer.body!)).toMatchObject({
      region: 'noord-nederland',
      year: 2023,
      release: null,
      notice: expect.stringContaining('eerste publicatie'),
    });
    expect((await get('year=2023', { 'if-none-match': answer.headers.etag! })).statusCode).toBe(304);
  });

  it('answers the release with small counts as null and Bijgewerkt op / volgende update', async () => {
    await release('2026-06-01T06:00:00Z');
    const answer = await get('year=2023&province=DR');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=600');
    const body = JSON.parse(answer.body!);
    expect(body.release).toEqual({ releasedAt: '2026-06-01T06:00:00.000Z', nextPossibleAt: '2026-06-01T06:00:00.000Z' });
    expect(body.byMunicipality.GM0106).toBeNull();
    expect(body.byForm.seksueel).toBeNull();
    expect(Math.abs(body.byMunicipality.GM0114 - 12)).toBeLessThanOrEqual(2);
    expect(body).not.toHaveProperty('updatedAt');
  });

  it('answers a conditional request for the same release with 304, reading only the pointer; a new release answers 200', async () => {
    await release('2026-06-01T06:00:00Z');
    const first = await get('year=2023');
    const reads = store.calls.readReleased;
    const again = await get('year=2023', { 'if-none-match': first.headers.etag! });
    expect(again).toMatchObject({ statusCode: 304, headers: { etag: first.headers.etag, 'cache-control': PUBLIC_CACHE_CONTROL, vary: 'Accept' } });
    expect(again.body).toBeUndefined();
    expect(store.calls.readReleased).toBe(reads);

    // Counted but not released: the same answer, to the byte.
    for (let i = 0; i < 5; i++) store.countSignal(anotherSignal({ municipality: 'GM0106', form: i % 2 ? 'arbeid' : 'seksueel' })); // not all in one cell
    const unchanged = await get('year=2023');
    expect(unchanged.body).toBe(first.body);
    expect(unchanged.headers.etag).toBe(first.headers.etag);

    await release('2026-06-02T06:00:00Z');
    const next = await get('year=2023', { 'if-none-match': first.headers.etag! });
    expect(next.statusCode).toBe(200);
    expect(next.headers.etag).not.toBe(first.headers.etag);
  });

  it('answers CSV by Accept or format=csv, with the label for a small count and its own ETag', async () => {
    await release('2026-06-01T06:00:00Z');
    const byAccept = await get('year=2023&table=byMunicipality', { accept: 'text/csv' });
    const byFormat = await get('year=2023&table=byMunicipality&format=csv');
    expect(byAccept.statusCode).toBe(200);
    expect(byAccept.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(byAccept.headers['content-disposition']).toBe('attachment; filename="meldroute-2023-noord-nederland-gemeente.csv"');
    expect(byAccept.body).toContain('GM0106;Assen;<7\r\n');
    expect(byFormat.body).toBe(byAccept.body);
    expect(byAccept.headers.etag).not.toBe((await get('year=2023')).headers.etag);
  });

  it('refuses what it cannot answer: a bad query (422), table with JSON (422), an Accept it cannot serve (406)', async () => {
    const bad = await get('year=1999&region=atlantis');
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toBe('application/problem+json');
    expect((await get('year=2023&table=byForm')).statusCode).toBe(422);
    expect((await get('year=2023', { accept: 'image/png' })).statusCode).toBe(406);
    expect((await get('year=2023&__proto__=x')).statusCode).toBe(422);
  });
});
