import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { TestStack } from './support/local-stack.js';

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const signal = (extra: object = {}) => ({ observedAt: '2024-05-06', municipality: 'GM0037', form: 'arbeid', ...extra });

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = (await response.json()) as { status: number; title: string; type: string; detail?: string; errors?: Array<{ pointer: string; detail: string }> };
  expect(body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  return body;
}

describe('POST /v1/signals then GET /v1/statistics', () => {
  it('counts an accepted signal under its municipality, province, form, source, channel and month', async () => {
    const response = await stack.post(signal({ signalType: 'adviesvraag' }));
    expect(response.status).toBe(202);
    const body = (await response.json()) as { signalId: string; status: string };
    expect(body).toEqual({ signalId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'received' });
    expect(response.headers.get('location')).toBe(`/v1/signals/${body.signalId}`);

    const stats = await stack.waitForStatistics('region=noord-nederland&year=2024', (s) => s.total === 1);
    expect(stats).toMatchObject({
      region: 'noord-nederland',
      year: 2024,
      byMunicipality: { GM0037: 1, onbekend: 0 },
      byProvince: { GR: 1, DR: 0, FR: 0, onbekend: 0 },
      byForm: { arbeid: 1 },
      bySourceType: { gemeente: 1 },
      byChannel: { api: 1, web: 0, email: 0 },
      bySignalType: { adviesvraag: 1, melding: 0 },
      byMonth: { '2024-05': 1, '2024-04': 0 },
    });
    const province = await stack.statistics('region=noord-nederland&year=2024&province=GR');
    expect(province).toMatchObject({ province: 'GR', total: 1, byMunicipality: { GM0037: 1 } });
    const municipality = await stack.statistics('region=noord-nederland&year=2024&municipality=GM0037');
    expect(municipality).toMatchObject({ municipality: 'GM0037', total: 1 });
  });

  it('reproduces the Drenthe 2023 annual report: 67 signals in, the same figures out', async () => {
    // 28 sexual, 11 labour, 7 criminal, 21 unknown; 15 from Emmen, 11 from Assen, 12 from an unknown municipality.
    const forms = [...Array(28).fill('seksueel'), ...Array(11).fill('arbeid'), ...Array(7).fill('crimineel'), ...Array(21).fill('onbekend')];
    const others = ['GM1680', 'GM1681', 'GM0109', 'GM1690', 'GM0118', 'GM0119', 'GM1731', 'GM1699', 'GM1730', 'GM1701'];
    const places = [
      ...Array(15).fill('GM0114'),
      ...Array(11).fill('GM0106'),
      ...Array(12).fill('onbekend'),
      ...Array.from({ length: 29 }, (_, i) => others[i % others.length]),
    ];
    const responses = await Promise.all(
      forms.map((form, i) =>
        stack.post({
          observedAt: `2023-${String((i % 12) + 1).padStart(2, '0')}-15`,
          municipality: places[i],
          province: 'DR',
          form,
          externalId: `drenthe-2023-${i}`,
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(67).fill(202));
    const stats = await stack.waitForStatistics('region=noord-nederland&year=2023&province=DR', (s) => s.total === 67);
    expect(stats.byForm).toEqual({ seksueel: 28, arbeid: 11, crimineel: 7, orgaanverwijdering: 0, onbekend: 21 });
    expect(stats.byMunicipality).toMatchObject({ GM0114: 15, GM0106: 11, onbekend: 12 });
    expect(Object.values(stats.byMonth as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(67);
    const region = await stack.statistics('region=noord-nederland&year=2023');
    expect(region.byProvince).toEqual({ DR: 67, GR: 0, FR: 0, onbekend: 0 });
  });
});

describe('GET /v1/openapi.json', () => {
  it('serves the contract without a key', async () => {
    const response = await fetch(`${stack.ready.apiUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });
});

describe('GET and PATCH /v1/signals/{signalId}', () => {
  async function filed(body: object): Promise<string> {
    const { signalId } = (await (await stack.post(body)).json()) as { signalId: string };
    for (let i = 0; i < 100 && (await stack.request('GET', `/v1/signals/${signalId}`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 50));
    return signalId;
  }

  it('shows a filed signal at its Location, without anything about the person', async () => {
    const signalId = await filed(signal({ municipality: 'GM1949', observedAt: '2018-01-01', subject: { bsn: '111222333' } }));
    const response = await stack.request('GET', `/v1/signals/${signalId}`);
    const view = (await response.json()) as Record<string, unknown>;
    expect(view).toMatchObject({ signalId, status: 'ontvangen', municipality: 'GM1949', province: 'FR', form: 'arbeid', version: 1 });
    expect(JSON.stringify(view)).not.toMatch(/pseudonym|subject|111222333/);
  });

  it('moves the counts when the partner corrects the form and municipality, and when it withdraws', async () => {
    const signalId = await filed(signal({ municipality: 'GM0098', observedAt: '2017-01-01', form: 'onbekend' }));
    await stack.waitForStatistics('year=2017', (s) => s.total === 1);

    const corrected = await stack.request('PATCH', `/v1/signals/${signalId}`, { form: 'seksueel', municipality: 'GM0085' });
    expect(corrected.status).toBe(200);
    expect(await corrected.json()).toMatchObject({ form: 'seksueel', municipality: 'GM0085', province: 'FR', version: 2 });
    const stats = await stack.waitForStatistics('year=2017', (s) => s.byForm.seksueel === 1);
    expect(stats).toMatchObject({ total: 1, byForm: { onbekend: 0, seksueel: 1 }, byMunicipality: { GM0098: 0, GM0085: 1 } });

    expect((await stack.request('PATCH', `/v1/signals/${signalId}`, { status: 'ingetrokken' })).status).toBe(200);
    await stack.waitForStatistics('year=2017', (s) => s.total === 0);
  });

  it('refuses to correct the person or the text, and a province that does not fit', async () => {
    const signalId = await filed(signal({ observedAt: '2016-01-01' }));
    const subject = await expectProblem(await stack.request('PATCH', `/v1/signals/${signalId}`, { subject: { name: 'X' } }), 422);
    expect(subject.errors![0]!.pointer).toBe('/subject');
    const province = await expectProblem(await stack.request('PATCH', `/v1/signals/${signalId}`, { province: 'DR' }), 422);
    expect(province.errors![0]!.pointer).toBe('/province');
  });

  it('refuses with 409 a partner withdrawing a signal the table decided on: the partner still sees it besproken, and the counts stay', async () => {
    const signalId = await filed(signal({ municipality: 'GM0014', observedAt: '2015-03-01' }));
    await stack.waitForStatistics('year=2015', (s) => s.total === 1);
    // The table (the region's triage key that `npm start` wrote) decides: the signal goes to the RIEC.
    const decided = await fetch(`${stack.ready.apiUrl}/v1/triage/signals/${signalId}/decisions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key('signals:triage')}`, 'content-type': 'application/json' },
      body: JSON.stringify({ routes: ['riec'], decidedOn: todayInNetherlands() }),
    });
    expect(decided.status).toBe(201);
    // Generation times aside, the figures as they stand.
    const figures = ({ generatedAt: _g, updatedAt: _u, ...rest }: Record<string, unknown>) => rest;
    const before = await stack.waitForStatistics('year=2015', (s) => s.byRoute?.riec === 1 && s.byStatus?.besproken === 1);

    const refused = await expectProblem(await stack.request('PATCH', `/v1/signals/${signalId}`, { status: 'ingetrokken' }), 409);
    expect(refused).toMatchObject({ type: expect.stringMatching(/invalid-transition$/), errors: [{ pointer: '/status' }] });
    expect(refused.detail).toMatch(/^De melding heeft status besproken; .*ook niet naar ingetrokken\./);

    const view = await stack.request('GET', `/v1/signals/${signalId}`);
    expect(await view.json()).toMatchObject({ signalId, status: 'besproken', version: 2 });
    await stack.settle();
    expect(figures(await stack.statistics('year=2015'))).toEqual(figures(before));
  });

  it("answers 404 for an unknown id, a malformed id, and another organisation's signal", async () => {
    const signalId = await filed(signal({ observedAt: '2016-02-01' }));
    await expectProblem(await stack.request('GET', '/v1/signals/00000000-0000-4000-8000-000000000000'), 404);
    await expectProblem(await stack.request('GET', '/v1/signals/niet-een-id'), 404);
    const other = await stack.addKey('Politie Noord-Nederland', ['signals:write']);
    await expectProblem(await stack.request('GET', `/v1/signals/${signalId}`, undefined, { authorization: `Bearer ${other}` }), 404);
    await expectProblem(await stack.request('PATCH', `/v1/signals/${signalId}`, { form: 'arbeid' }, { authorization: `Bearer ${other}` }), 404);
  });
});

describe('retries', () => {
  it('answers a retried POST with the same Idempotency-Key with the same id and counts it once', async () => {
    const body = signal({ municipality: 'GM0080', observedAt: '2022-02-02' });
    const first = await stack.post(body, { 'idempotency-key': 'retry-1' });
    const second = await stack.post(body, { 'idempotency-key': 'retry-1' });
    expect(second.status).toBe(202);
    expect(((await second.json()) as { signalId: string }).signalId).toBe(((await first.json()) as { signalId: string }).signalId);
    await stack.settle();
    expect((await stack.statistics('year=2022&municipality=GM0080')).total).toBe(1);
  });

  it('answers a retried POST with the same externalId with the same id and counts it once', async () => {
    const body = signal({ municipality: 'GM0072', observedAt: '2022-03-03', externalId: 'partner-ref-77' });
    const ids = await Promise.all(
      [stack.post(body), stack.post(body), stack.post(body)].map(async (r) => ((await (await r).json()) as { signalId: string }).signalId),
    );
    expect(new Set(ids).size).toBe(1);
    await stack.settle();
    expect((await stack.statistics('year=2022&municipality=GM0072')).total).toBe(1);
  });

  it('refuses the same Idempotency-Key with another body with 409', async () => {
    await stack.post(signal(), { 'idempotency-key': 'conflict-1' });
    const problem = await expectProblem(await stack.post(signal({ form: 'seksueel' }), { 'idempotency-key': 'conflict-1' }), 409);
    expect(JSON.stringify(problem)).toContain('Idempotency-Key');
  });
});

describe('errors a client can cause', () => {
  it('400 for malformed JSON', async () => {
    await expectProblem(await stack.post('{"observedAt": '), 400);
  });

  it('401 without a key, and with an unknown key', async () => {
    await expectProblem(await stack.post(signal(), { authorization: '' }), 401);
    await expectProblem(await stack.post(signal(), { authorization: 'Bearer mr_local_doesnotexist' }), 401);
    const statistics = await fetch(`${stack.ready.apiUrl}/v1/statistics?year=2023`);
    await expectProblem(statistics, 401);
  });

  it('403 when the key lacks the scope', async () => {
    await expectProblem(await stack.post(signal(), { authorization: `Bearer ${stack.key('statistics:read')}` }), 403);
    const statistics = await fetch(`${stack.ready.apiUrl}/v1/statistics?year=2023`, { headers: { 'x-api-key': stack.key('signals:write') } });
    await expectProblem(statistics, 403);
  });

  it('413 for a body over 64 KB', async () => {
    await expectProblem(await stack.post(signal({ description: 'x'.repeat(70_000) })), 413);
  });

  it('415 for another content type', async () => {
    await expectProblem(await stack.post(JSON.stringify(signal()), { 'content-type': 'text/plain' }), 415);
  });

  it('422 naming each bad field: unknown municipality, BSN failing the elfproef, future date, unknown field', async () => {
    const problem = await expectProblem(
      await stack.post({ observedAt: '2099-01-01', municipality: 'GM9999', form: 'arbeid', subject: { bsn: '123456789' }, onbekendVeld: true }),
      422,
    );
    expect(problem.errors!.map((e) => e.pointer).sort()).toEqual(['/municipality', '/observedAt', '/onbekendVeld', '/subject/bsn']);
  });

  it('422 for bad statistics parameters', async () => {
    const response = await fetch(`${stack.ready.apiUrl}/v1/statistics?year=2023&municipality=GM9999`, {
      headers: { 'x-api-key': stack.key('statistics:read') },
    });
    expect((await expectProblem(response, 422)).errors![0]!.pointer).toBe('/municipality');
  });

  it('answers a problem+json 404 for a path or method the contract has not got', async () => {
    expect((await expectProblem(await fetch(`${stack.ready.apiUrl}/v1/nope`), 404)).detail).toContain('/v1/nope');
    await expectProblem(await fetch(`${stack.ready.apiUrl}/v1/statistics`, { method: 'DELETE' }), 404);
  });

  it('stores nothing for a refused request', async () => {
    await stack.settle();
    const before = (await stack.scan('meldroute-signals')).length;
    await stack.post({ observedAt: '2023-01-01', municipality: 'GM0114', form: 'arbeid', subject: { bsn: '123456789' } });
    await stack.post('niet eens json');
    await stack.settle();
    expect((await stack.scan('meldroute-signals')).length).toBe(before);
  });
});

describe('bytes are bytes, and strict everywhere (issue 13)', () => {
  const postBytes = (bytes: Buffer, contentType = 'application/json') =>
    fetch(`${stack.ready.apiUrl}/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.key('signals:write')}`, 'content-type': contentType },
      body: new Uint8Array(bytes),
    });
  const withExternalId = (idBytes: Buffer) =>
    Buffer.concat([Buffer.from(`${JSON.stringify(signal()).slice(0, -1)},"externalId":"`), idBytes, Buffer.from('"}')]);

  it('refuses two externalIds that differ only in bytes that are not UTF-8 with 400, rather than take one for the other', async () => {
    await stack.settle();
    const before = (await stack.scan('meldroute-signals')).length;
    for (const byte of [0xff, 0xfe]) {
      const problem = await expectProblem(await postBytes(withExternalId(Buffer.from([0x52, 0x45, 0x46, 0x2d, byte]))), 400);
      expect(problem.type).toMatch(/invalid-utf8$/);
    }
    // The same ids in UTF-8 are two signals.
    const accepted = await Promise.all(['REF-ÿ', 'REF-þ'].map((id) => postBytes(withExternalId(Buffer.from(id, 'utf8')))));
    expect(accepted.map((r) => r.status)).toEqual([202, 202]);
    const [a, b] = (await Promise.all(accepted.map((r) => r.json()))) as Array<{ signalId: string }>;
    expect(a!.signalId).not.toBe(b!.signalId);
    await stack.settle();
    expect((await stack.scan('meldroute-signals')).length).toBe(before + 2);
  });

  it('refuses a charset other than UTF-8 with 415', async () => {
    const problem = await expectProblem(await postBytes(Buffer.from(JSON.stringify(signal()), 'latin1'), 'application/json; charset=iso-8859-1'), 415);
    expect(problem.detail).toContain('UTF-8');
  });

  it('reads a statistics year as four decimal digits only, and refuses every unknown parameter, __proto__ included', async () => {
    const get = (query: string) => fetch(`${stack.ready.apiUrl}/v1/statistics?${query}`, { headers: { 'x-api-key': stack.key('statistics:read') } });
    expect((await get('year=2012')).status).toBe(200);
    for (const [query, pointer] of [
      ['year=0x7DC', '/year'],
      ['year=2.012e3', '/year'],
      ['year=2012&year=2013', '/year'],
      ['year=2012&__proto__=x', '/__proto__'],
      ['year=2012&constructor=x', '/constructor'],
      ['year=2012&jaar=2012', '/jaar'],
    ]) {
      const problem = await expectProblem(await get(query!), 422);
      expect(
        problem.errors!.map((e) => e.pointer),
        query,
      ).toEqual([pointer]);
    }
  });
});
