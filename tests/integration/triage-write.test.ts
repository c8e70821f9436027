import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { hashApiKey, type Principal } from '#domain/partners/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * The table's write side over the real emulators: an untemplated e-mail enriched and decided, counts by
 * status exact after several changes, a later decision superseding, the transitions refused, a province's
 * key kept to its area, every route's 401 and 403, every change in the audit log, a retried decision
 * recorded once, and the note never at rest in plain. Each part files its signals in a year of its own.
 */

const NOTE = 'Betrokkene slaapt in de loods achter de garage aan de Vaartweg; huisarts dokter Veenstra ingelicht.';
const needles = ['loods achter de garage', 'Vaartweg', 'Veenstra'];
const leaks = (haystack: string) => needles.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));

let stack: TestStack;
const keys = { region: '', drenthe: '' };

async function addTriageKey(organisation: string, province?: string): Promise<string> {
  const key = `mr_test_${randomBytes(16).toString('hex')}`;
  const principal: Principal = { organisation, sourceType: 'gemeente', scopes: ['signals:triage'], region: 'noord-nederland', ...(province && { province }) };
  await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(key), principal);
  return key;
}

beforeAll(async () => {
  stack = await TestStack.start();
  keys.region = await addTriageKey('Ketenregisseur Noord-Nederland');
  keys.drenthe = await addTriageKey('Drieluik Drenthe', 'DR');
}, 120_000);
afterAll(() => stack?.stop());

const send = (method: string, path: string, key: string | undefined, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${stack.ready.apiUrl}${path}`, {
    method,
    headers: { ...(key && { authorization: `Bearer ${key}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const enrich = (signalId: string, body: object, key = keys.region, headers: Record<string, string> = {}) =>
  send('PATCH', `/v1/triage/signals/${signalId}`, key, body, headers);
const decide = (signalId: string, body: object, key = keys.region, headers: Record<string, string> = {}) =>
  send('POST', `/v1/triage/signals/${signalId}/decisions`, key, body, headers);

const today = () => todayInNetherlands();
const inDays = (days: number) => todayInNetherlands(new Date(Date.now() + days * 86_400_000));

/** Files a signal through the partner API and waits until it is stored; its id. */
async function file(body: object): Promise<string> {
  const answer = await stack.post({ form: 'arbeid', ...body });
  expect(answer.status).toBe(202);
  const { signalId } = (await answer.json()) as { signalId: string };
  await stack.settle();
  return signalId;
}

const stored = async (signalId: string) => (await stack.scan('meldroute-signals')).find((s) => s.signalId === signalId)!;
const auditOf = async (signalId: string) => {
  const answer = await send('GET', `/v1/audit?signalId=${signalId}`, stack.key('audit:read'));
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { entries: Array<{ action: string; keyHash: string; organisation: string; purpose: string }> }).entries;
};

describe('an untemplated e-mail, enriched and decided', () => {
  let signalId: string;

  it('arrives as a signal to enrich, which only a key for the whole region sees while its province is unknown', async () => {
    await stack.sendMail({
      from: 'bezorgd.buurvrouw@voorbeeld.nl',
      date: new Date('2017-05-06T10:00:00+02:00'),
      subject: 'Zorgen',
      text: 'Bij de buren wonen twaalf mensen in een schuur. Ze werken dag en nacht.',
    });
    await stack.waitForStatistics('year=2017', (s) => s.total === 1);
    signalId = (await stack.scan('meldroute-signals')).find((s) => String(s.observedAt).startsWith('2017-'))!.signalId;
    expect(await stored(signalId)).toMatchObject({ status: 'te-verrijken', municipality: 'onbekend', form: 'onbekend', version: 1 });
    expect((await enrich(signalId, { form: 'arbeid' }, keys.drenthe)).status).toBe(404);
  });

  it('is enriched by the region key: 200 with the new version as ETag, and the counts move', async () => {
    const answer = await enrich(signalId, { municipality: 'GM0114', form: 'arbeid', sector: 'land-en-tuinbouw', status: 'in-beoordeling' }, keys.region, {
      'if-match': '"1"',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('etag')).toBe('"2"');
    expect(await answer.json()).toMatchObject({ signalId, municipality: 'GM0114', province: 'DR', form: 'arbeid', status: 'in-beoordeling', version: 2 });
    const stats = await stack.waitForStatistics('year=2017', (s) => s.byMunicipality.GM0114 === 1);
    expect(stats).toMatchObject({ total: 1, byForm: { arbeid: 1, onbekend: 0 }, byProvince: { DR: 1 }, byStatus: { 'in-beoordeling': 1, 'te-verrijken': 0 } });
    expect((await stored(signalId)).changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('answers 412 to a change made on the version before', async () => {
    const answer = await enrich(signalId, { form: 'seksueel' }, keys.drenthe, { 'if-match': '"1"' });
    expect(answer.status).toBe(412);
    expect(((await answer.json()) as { detail: string }).detail).toContain('nu versie 2');
  });

  it('is decided by the Drenthe table, now that it lies in Drenthe: 201, besproken, its note encrypted', async () => {
    const answer = await decide(signalId, { routes: ['zorg', 'zorg-en-strafrecht'], decidedOn: today(), reviewOn: inDays(14), note: NOTE }, keys.drenthe);
    expect(answer.status).toBe(201);
    expect(answer.headers.get('location')).toBe(`/v1/triage/signals/${signalId}`);
    expect(answer.headers.get('etag')).toBe('"3"');
    const text = await answer.text();
    expect(leaks(text)).toEqual([]);
    expect(JSON.parse(text)).toMatchObject({
      routes: ['zorg', 'zorg-en-strafrecht'],
      decidedOn: today(),
      reviewOn: inDays(14),
      hasNote: true,
      organisation: 'Drieluik Drenthe',
    });
    const signal = await stored(signalId);
    expect(signal).toMatchObject({ status: 'besproken', routes: ['zorg', 'zorg-en-strafrecht'], reviewOn: inDays(14), version: 3 });
    expect(signal.decisions[0].note).toMatchObject({ alg: 'AES-256-GCM', ciphertext: expect.any(String) });
    expect(await stack.waitForStatistics('year=2017', (s) => s.byStatus.besproken === 1)).toMatchObject({ total: 1, byStatus: { 'in-beoordeling': 0 } });
  });

  it('has every enrichment and decision in the audit log, by key hash and organisation, without values', async () => {
    const entries = await auditOf(signalId);
    expect(entries.map((e) => [e.action, e.organisation, e.keyHash])).toEqual([
      ['enrichment', 'Ketenregisseur Noord-Nederland', hashApiKey(keys.region)],
      ['decision', 'Drieluik Drenthe', hashApiKey(keys.drenthe)],
    ]);
    expect(entries[0]!.purpose).toBe('verrijking: municipality, province, form, sector, status');
    expect(JSON.stringify(entries)).not.toContain('GM0114');
  });
});

describe('counts by status after several changes', () => {
  it('are exact, a withdrawn signal uncounted, and a forbidden move refused with a 409 naming the statuses', async () => {
    const [a, b, c, d] = [
      await file({ observedAt: '2016-02-01', municipality: 'GM0114' }),
      await file({ observedAt: '2016-03-01', municipality: 'GM0106' }),
      await file({ observedAt: '2016-04-01', municipality: 'GM0014' }),
      await file({ observedAt: '2016-05-01', municipality: 'GM0080' }),
    ] as [string, string, string, string];
    expect((await stack.waitForStatistics('year=2016', (s) => s.total === 4)).byStatus).toMatchObject({ ontvangen: 4 });

    expect((await enrich(a, { status: 'in-beoordeling' })).status).toBe(200);
    expect((await enrich(b, { status: 'te-verrijken' })).status).toBe(200);
    expect((await enrich(b, { status: 'in-beoordeling', form: 'seksueel' })).status).toBe(200);
    expect((await decide(c, { routes: ['riec'], decidedOn: today() })).status).toBe(201);
    expect((await enrich(c, { status: 'afgesloten' })).status).toBe(200);
    expect((await enrich(d, { status: 'ingetrokken' })).status).toBe(200);

    const refused = await enrich(c, { status: 'ingetrokken' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toBe('application/problem+json');
    expect(await refused.json()).toMatchObject({
      detail: 'De melding heeft status afgesloten; van daaruit kan de status naar in-beoordeling, niet naar ingetrokken.',
      errors: [{ pointer: '/status' }],
    });
    expect((await enrich(a, { status: 'besproken' })).status).toBe(409);
    expect((await decide(c, { routes: ['zorg'], decidedOn: today() })).status).toBe(409);

    const stats = await stack.waitForStatistics('year=2016', (s) => s.total === 3 && s.byStatus.afgesloten === 1 && s.byStatus['in-beoordeling'] === 2);
    expect(stats.byStatus).toMatchObject({ ontvangen: 0, 'te-verrijken': 0, 'in-beoordeling': 2, besproken: 0, afgesloten: 1 });
    expect(stats.byForm).toMatchObject({ arbeid: 2, seksueel: 1 });
    // The decision made through the API counts by its route, and the route-less table leaves it out.
    expect(stats.byRoute).toMatchObject({ riec: 1, zorg: 0 });
    expect((await stack.statistics('year=2016&excludeRoute=riec')).total).toBe(2);

    // Reopened, and the count follows once more.
    expect((await enrich(c, { status: 'in-beoordeling' })).status).toBe(200);
    expect((await stack.waitForStatistics('year=2016', (s) => s.byStatus['in-beoordeling'] === 3)).byStatus).toMatchObject({ afgesloten: 0 });
    expect((await auditOf(c)).map((e) => e.action)).toEqual(['decision', 'enrichment', 'enrichment']);
    expect((await auditOf(d)).map((e) => e.action)).toEqual(['enrichment']);
  });
});

describe('decisions', () => {
  it('supersede: the latest routes and follow-up date stand, an absent follow-up date removes the earlier', async () => {
    const id = await file({ observedAt: '2015-06-01', municipality: 'GM0114' });
    expect((await decide(id, { routes: ['zorg'], decidedOn: today(), reviewOn: inDays(28) })).status).toBe(201);
    expect((await decide(id, { routes: ['riec', 'advies'], decidedOn: today() })).status).toBe(201);
    const signal = await stored(id);
    expect(signal).toMatchObject({ status: 'besproken', routes: ['riec', 'advies'], version: 3 });
    expect(signal.reviewOn).toBeUndefined();
    expect(signal.decisions.map((d: { routes: string[] }) => d.routes)).toEqual([['zorg'], ['riec', 'advies']]);
    expect((await auditOf(id)).map((e) => e.action)).toEqual(['decision', 'decision']);
  });

  it('are recorded once for a retried request with the same Idempotency-Key, and concurrent ones all land', async () => {
    const id = await file({ observedAt: '2014-06-01', municipality: 'GM0106' });
    const body = { routes: ['zorg'], decidedOn: today() };
    const first = await decide(id, body, keys.region, { 'idempotency-key': 'tafel-retry-1' });
    const retry = await decide(id, body, keys.region, { 'idempotency-key': 'tafel-retry-1' });
    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(((await retry.json()) as { decisionId: string }).decisionId).toBe(((await first.json()) as { decisionId: string }).decisionId);

    const concurrent = await Promise.all(
      ['a', 'b', 'c', 'd'].map((k) => decide(id, { routes: ['advies'], decidedOn: today() }, keys.region, { 'idempotency-key': `tafel-${k}` })),
    );
    const landed = concurrent.filter((r) => r.status === 201).length;
    expect(concurrent.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(landed).toBeGreaterThan(0);
    const signal = await stored(id);
    expect(signal.decisions).toHaveLength(1 + landed);
    expect(signal.version).toBe(2 + landed);
    expect((await auditOf(id)).filter((e) => e.action === 'decision')).toHaveLength(1 + landed);
  });
});

describe('areas and keys', () => {
  it("keeps a Drenthe key to Drenthe: a Groningen signal is 404 on both routes, and the region's key reaches it", async () => {
    const id = await file({ observedAt: '2013-06-01', municipality: 'GM0014' });
    expect((await enrich(id, { form: 'seksueel' }, keys.drenthe)).status).toBe(404);
    expect((await decide(id, { routes: ['zorg'], decidedOn: today() }, keys.drenthe)).status).toBe(404);
    expect((await enrich('00000000-0000-4000-8000-000000000000', { form: 'seksueel' }, keys.drenthe)).status).toBe(404);
    expect((await auditOf(id)).length).toBe(0);
    expect((await enrich(id, { form: 'seksueel' })).status).toBe(200);
    // Nor can a Drenthe key move a Drenthe signal out of its area.
    const drenthe = await file({ observedAt: '2013-07-01', municipality: 'GM0114' });
    const moved = await enrich(drenthe, { municipality: 'GM0014' }, keys.drenthe);
    expect(moved.status).toBe(422);
    expect(await moved.json()).toMatchObject({ errors: [{ pointer: '/municipality' }] });
  });

  it('answers 401 without a key or with an unknown one, and 403 for keys without signals:triage, on each new route', async () => {
    const id = await file({ observedAt: '2012-06-01', municipality: 'GM0114' });
    // Through send itself: enrich and decide would put the region's key in for a missing one.
    const routes = [
      (key?: string) => send('PATCH', `/v1/triage/signals/${id}`, key, { form: 'seksueel' }),
      (key?: string) => send('POST', `/v1/triage/signals/${id}/decisions`, key, { routes: ['zorg'], decidedOn: today() }),
    ];
    for (const call of routes) {
      expect((await call(undefined)).status).toBe(401);
      expect((await call('mr_unknown_key')).status).toBe(401);
      for (const scope of ['signals:write', 'statistics:read', 'audit:read'] as const) {
        const answer = await call(stack.key(scope));
        expect(answer.status, scope).toBe(403);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }
    }
    expect(await stored(id)).toMatchObject({ version: 1, status: 'ontvangen' });
  });
});

describe('the note', () => {
  it('rests nowhere in plain: not in a table, not in the audit log, not in a log line', async () => {
    await stack.settle();
    for (const table of await stack.tableNames()) expect(leaks(JSON.stringify(await stack.scan(table))), table).toEqual([]);
    expect(stack.logs).toContain('decision recorded');
    expect(leaks(stack.logs)).toEqual([]);
  });
});
