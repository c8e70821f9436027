import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * GET /v1/public/statistics over the emulators, with the release function played by the runner's timer
 * every second and PUBLIC_RELEASE_INTERVAL=0: a release as soon as five signals changed. The tests run in
 * order on one stack: no release, the first after five signals, none after one more, the next after five.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start({ env: { PUBLIC_RELEASE_INTERVAL: '0', LOCAL_RELEASE_SCHEDULE_SECONDS: '1' } });
});
afterAll(() => stack?.stop());

const QUERY = 'year=2019&province=DR';
/** Without a key: the route is public. */
const publicFigures = (query = QUERY, headers: Record<string, string> = {}) => fetch(`${stack.ready.apiUrl}/v1/public/statistics?${query}`, { headers });

async function file(signal: object): Promise<void> {
  const response = await stack.post(signal);
  expect(response.status).toBe(202);
}

/** Polls the public figures until a release other than `previous` answers; returns it. */
async function waitForRelease(previous: string | null, timeoutMs = 20_000): Promise<{ response: Response; body: Record<string, any> }> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, any> = {};
  while (Date.now() < deadline) {
    const response = await publicFigures();
    last = (await response.json()) as Record<string, any>;
    if (last.release !== null && last.release.releasedAt !== previous) return { response, body: last };
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no new release; last: ${JSON.stringify(last).slice(0, 300)}`);
}

let firstEtag = '';
let firstRelease = '';

describe('GET /v1/public/statistics over the emulators', () => {
  it('answers release null and a notice before the first release, without a key', async () => {
    const response = await publicFigures();
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300, stale-while-revalidate=600');
    const body = (await response.json()) as Record<string, any>;
    expect(body).toMatchObject({ region: 'noord-nederland', year: 2019, province: 'DR', release: null, notice: expect.stringContaining('eerste publicatie') });
    expect(body).not.toHaveProperty('total');
  });

  it('makes the first release after five signals, with the small cells suppressed', async () => {
    await Promise.all([
      ...Array.from({ length: 3 }, (_, i) => file({ observedAt: `2019-03-1${i}`, municipality: 'GM0114', form: 'arbeid' })),
      ...Array.from({ length: 2 }, (_, i) => file({ observedAt: `2019-05-1${i}`, municipality: 'GM0106', form: 'seksueel' })),
    ]);
    await stack.waitForStatistics(QUERY, (s) => s.total === 5);
    const { response, body } = await waitForRelease(null);
    expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(body.release).toEqual({ releasedAt: expect.any(String), nextPossibleAt: expect.any(String) });
    // Five signals: shown as 5 on most cell keys, suppressed on some; never anything else.
    expect([5, null]).toContain(body.total);
    expect(body.byMunicipality.GM0106).toBeNull();
    expect(body.byForm.seksueel).toBeNull();
    expect(body.byMunicipality.GM0114).toBeNull();
    // A municipality without signals: 0, or null on 1 key in 8 (a 0 in a table may be hidden: docs/disclosure.md, "Zeros").
    if (body.total !== null) expect([0, null]).toContain(body.byMunicipality.GM1680);
    else expect(body.byMunicipality.GM1680).toBeNull();
    expect(body).not.toHaveProperty('updatedAt');
    firstEtag = response.headers.get('etag')!;
    firstRelease = body.release.releasedAt;
  });

  it('keeps the public answer, to the byte and the ETag, when one more signal is counted; the exact route counts it', async () => {
    const before = await (await publicFigures()).text();
    await file({ observedAt: '2019-07-01', municipality: 'GM0114', form: 'arbeid' });
    await stack.waitForStatistics(QUERY, (s) => s.total === 6);
    // Several runs of the schedule (every second) find too few changes.
    await new Promise((r) => setTimeout(r, 3_000));
    const after = await publicFigures();
    expect(after.headers.get('etag')).toBe(firstEtag);
    expect(await after.text()).toBe(before);
    const conditional = await publicFigures(QUERY, { 'if-none-match': firstEtag });
    expect(conditional.status).toBe(304);
    expect(await conditional.text()).toBe('');
  });

  it('answers CSV with the label for a small count, with an ETag of its own', async () => {
    const response = await publicFigures(`${QUERY}&format=csv&table=byMunicipality`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(response.headers.get('etag')).not.toBe(firstEtag);
    const text = await response.text();
    expect(text).toContain('GM0106;Assen;<7\r\n');
    expect(text.split('\r\n')[0]!.replace(/^\uFEFF/, '')).toBe('code;gemeente;aantal');
  });

  it('makes the next release after five more signals: a new ETag, and figures that may have moved', async () => {
    await Promise.all(Array.from({ length: 4 }, (_, i) => file({ observedAt: `2019-08-0${i + 1}`, municipality: 'GM0114', form: 'arbeid' })));
    await stack.waitForStatistics(QUERY, (s) => s.total === 10);
    const { response, body } = await waitForRelease(firstRelease);
    expect(response.headers.get('etag')).not.toBe(firstEtag);
    expect(Date.parse(body.release.releasedAt)).toBeGreaterThan(Date.parse(firstRelease));
    // Emmen now holds 8: a number within 2 of it, or (never for 8) suppressed.
    expect(Math.abs(body.byMunicipality.GM0114 - 8)).toBeLessThanOrEqual(2);
    expect(body.byMunicipality.GM0106).toBeNull();
    expect((await publicFigures(QUERY, { 'if-none-match': firstEtag })).status).toBe(200);
  });
});
