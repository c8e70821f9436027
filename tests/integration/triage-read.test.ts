import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * The table's read side over the real emulators: keys bound to an area (one made by `npm run keys`, one by
 * `npm start`), the worklist with its filters, paging and follow-up dates, a signal's detail with its history
 * and repeat information, the free text on a stated purpose, every look in the audit log before the answer,
 * 401 and 403 for every route, and no person in any answer.
 */

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const FREE_TEXT = 'Slaapt in de kas aan de Zuiderdiep 7; telefoon ingenomen door de werkgever.';
const anna = { name: 'Anna Wiśniewska', dateOfBirth: '2001-04-17', bsn: '111222333', phone: '06 98765432', gender: 'v', nationality: 'PL' };
const PERSONAL = ['Wiśniewska', 'Wisniewska', '2001-04-17', '111222333', '98765432', 'Zuiderdiep', 'kas aan de'];

let stack: TestStack;
const keys = { drenthe: '', region: '', partner: '', police: '' };
const ids = { emmen: '', groningen: '', assen: '', unknown: '', borger: [] as string[] };

const get = (path: string, key: string | undefined) => fetch(`${stack.ready.apiUrl}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
async function json<T = any>(path: string, key: string, status = 200): Promise<T> {
  const answer = await get(path, key);
  expect(answer.status, `${path}: ${await answer.clone().text()}`).toBe(status);
  return answer.json() as Promise<T>;
}
const worklist = (query: string, key = keys.drenthe) => json<{ signals: Array<Record<string, any>>; next: string | null }>(`/v1/triage/signals?${query}`, key);
const auditOf = async (signalId: string) =>
  (await json<{ entries: Array<Record<string, any>> }>(`/v1/audit?signalId=${signalId}&limit=500`, stack.key('audit:read'))).entries;

/** Files a signal through the partner API; its id. */
async function file(body: object, key = keys.partner): Promise<string> {
  const answer = await stack.post({ observedAt: '2024-03-05', form: 'arbeid', ...body }, { authorization: `Bearer ${key}` });
  expect(answer.status).toBe(202);
  return ((await answer.json()) as { signalId: string }).signalId;
}

/** Every string and field name of an answer, walked: a pseudonym-shaped value, a person's field or what was sent of them is a leak. */
function personalTraces(answer: unknown): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      if (/[0-9a-f]{64}/i.test(value)) found.push(`${path}: pseudonym-shaped`);
      for (const needle of PERSONAL) if (value.includes(needle)) found.push(`${path}: ${needle}`);
    } else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        if (/^(subject|reporter|pseudonyms?|matchKeys|externalRef|description|note|keyHash|purpose|bsn|name|phone|email|dateOfBirth|nationality)$/.test(key))
          found.push(`${path}/${key}`);
        walk(v, `${path}/${key}`);
      }
    }
  };
  walk(answer, '');
  return found;
}

beforeAll(async () => {
  stack = await TestStack.start();
  // The Drenthe key as an operator makes it, with the key script against this stack's DynamoDB Local.
  const { stdout } = await run(
    'npx',
    [
      'tsx',
      'infra/partner-keys.ts',
      'create',
      '--organisation',
      'Drieluik Drenthe',
      '--source-type',
      'overig',
      '--scope',
      'signals:triage',
      '--province',
      'DR',
      '--endpoint',
      stack.ready.dynamoDbEndpoint,
    ],
    { cwd: root, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  expect(stdout).toMatch(/signals:triage; noord-nederland; area DR/);
  keys.drenthe = /^\s+(mr_local_\S+)$/m.exec(stdout)![1]!;
  keys.region = stack.key('signals:triage');
  keys.partner = stack.key('signals:write');
  keys.police = await stack.addKey('Politie Noord-Nederland', ['signals:write']);

  ids.emmen = await file({ municipality: 'GM0114', subject: anna, description: FREE_TEXT });
  ids.groningen = await file({ municipality: 'GM0014', description: 'Groningse tekst' });
  // The same person, signalled later by another organisation, in Assen.
  ids.assen = await file({ municipality: 'GM0106', observedAt: '2024-06-11', subject: { ...anna, phone: '+31 6 98765432' } }, keys.police);
  ids.unknown = await file({ municipality: 'onbekend' });
  for (let i = 0; i < 5; i++) ids.borger.push(await file({ municipality: 'GM1681', form: i % 2 ? 'seksueel' : 'arbeid' }));
  await stack.settle();
}, 180_000);
afterAll(() => stack?.stop());

describe('npm start and npm run keys: triage keys and their area', () => {
  it('prints the triage key of the whole region and the privacy officer key, made on the first start', () => {
    const triage = stack.ready.credentials.keys.find((k) => k.scopes.includes('signals:triage'))!;
    const officer = stack.ready.credentials.keys.find((k) => k.scopes.includes('privacy:erase'))!;
    expect(triage).not.toHaveProperty('province');
    expect(officer.scopes).toEqual(['audit:read', 'privacy:erase']);
    expect(stack.logs).toContain(`Triage key      ${triage.key}`);
    expect(stack.logs).toContain(`Privacy key     ${officer.key}`);
  });

  it('lets a Drenthe key see a Drenthe signal and answers 404 for a Groningen one, as for an unknown one', async () => {
    expect((await json(`/v1/triage/signals/${ids.emmen}`, keys.drenthe)).municipality).toBe('GM0114');
    for (const id of [ids.groningen, ids.unknown, '00000000-0000-4000-8000-000000000000']) {
      const answer = await get(`/v1/triage/signals/${id}`, keys.drenthe);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect((await get(`/v1/triage/signals/${id}/description?purpose=Weegtafel`, keys.drenthe)).status).toBe(404);
    }
    // Nothing was read, so nothing is logged for the refused looks.
    expect(await auditOf(ids.groningen)).toEqual([]);
    // The key of the whole region sees Groningen, and a signal whose province is unknown.
    expect((await json(`/v1/triage/signals/${ids.groningen}`, keys.region)).province).toBe('GR');
    expect((await json(`/v1/triage/signals/${ids.unknown}`, keys.region)).province).toBe('onbekend');
  });
});

describe('GET /v1/triage/signals', () => {
  it("lists the key's area newest first, and the region's for a key of the whole region", async () => {
    const drenthe = await worklist('');
    expect(drenthe.signals.map((s) => s.signalId)).toEqual([...[...ids.borger].reverse(), ids.assen, ids.emmen]);
    expect(new Set(drenthe.signals.map((s) => s.province))).toEqual(new Set(['DR']));
    expect(drenthe.next).toBeNull();
    const region = await worklist('', keys.region);
    expect(region.signals).toHaveLength(9);
    expect(region.signals.map((s) => s.receivedAt)).toEqual([...region.signals.map((s) => s.receivedAt)].sort().reverse());
    expect((await worklist('province=GR', keys.drenthe)).signals).toEqual([]);
    expect((await worklist('province=GR', keys.region)).signals.map((s) => s.signalId)).toEqual([ids.groningen]);
  });

  it('shows the classification, minors flag and "eerder gesignaleerd", and nothing of the person', async () => {
    const { signals } = await worklist('');
    const assen = signals.find((s) => s.signalId === ids.assen)!;
    expect(assen).toMatchObject({
      organisation: 'Politie Noord-Nederland',
      sourceType: 'politie',
      channel: 'api',
      status: 'ontvangen',
      form: 'arbeid',
      municipality: 'GM0106',
      province: 'DR',
      ageBand: '23-29',
      gender: 'v',
      minors: 'nee',
      routes: [],
      repeat: { earlierSignals: 1, organisations: 1, since: '2024-03', complete: true },
    });
    expect(signals.find((s) => s.signalId === ids.borger[0])).toMatchObject({ repeat: null, minors: 'onbekend' });
    expect(personalTraces(signals)).toEqual([]);
  });

  it('filters by status, municipality and the days of receipt', async () => {
    await stack.updateSignal(ids.borger[1]!, { status: 'te-verrijken' });
    await stack.updateSignal(ids.borger[3]!, { status: 'in-beoordeling' });
    expect((await worklist('status=te-verrijken')).signals.map((s) => s.signalId)).toEqual([ids.borger[1]]);
    expect((await worklist('status=te-verrijken&status=in-beoordeling')).signals.map((s) => s.signalId)).toEqual([ids.borger[3], ids.borger[1]]);
    expect((await worklist('municipality=GM0114')).signals.map((s) => s.signalId)).toEqual([ids.emmen]);
    const today = todayInNetherlands();
    const yesterday = todayInNetherlands(new Date(Date.now() - 86_400_000));
    expect((await worklist(`from=${today}&to=${today}`)).signals).toHaveLength(7);
    expect((await worklist(`to=${yesterday}`)).signals).toEqual([]);
    const refused = await get('/v1/triage/signals?status=open&from=2026-02-30', keys.drenthe);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer).sort()).toEqual(['/from', '/status']);
  });

  it('pages with the cursor it gives until next is null, each signal once, in order', async () => {
    const all = (await worklist('')).signals.map((s) => s.signalId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { signals: Array<Record<string, any>>; next: string | null } = await worklist(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.signals.length).toBeLessThanOrEqual(3);
      seen.push(...page.signals.map((s) => s.signalId));
      cursor = page.next;
    } while (cursor);
    expect(seen).toEqual(all);
    // Filtered pages too: the filter applied after the index read, the pages filled across reads.
    const arbeid = (await worklist('municipality=GM1681&limit=1')).signals;
    expect(arbeid).toHaveLength(1);
    expect((await get('/v1/triage/signals?cursor=nonsense', keys.drenthe)).status).toBe(422);
  });

  it('lists as review-due the open signals whose follow-up date is today or earlier', async () => {
    const store = new DynamoDbSignalStore(stack.dynamo, 'meldroute-signals');
    const yesterday = todayInNetherlands(new Date(Date.now() - 86_400_000));
    const tomorrow = todayInNetherlands(new Date(Date.now() + 86_400_000));
    const setReview = async (signalId: string, reviewOn: string, status: 'besproken' | 'afgesloten') => {
      const signal = (await store.get(signalId))!;
      expect(await store.update(signalId, signal.version, { status, reviewOn, routes: ['zorg'] })).toBe(true);
    };
    await setReview(ids.borger[0]!, yesterday, 'besproken');
    await setReview(ids.borger[2]!, todayInNetherlands(), 'besproken');
    await setReview(ids.borger[4]!, tomorrow, 'besproken');
    await setReview(ids.emmen, yesterday, 'afgesloten');
    const due = await worklist('reviewDue=true');
    expect(due.signals.map((s) => s.signalId)).toEqual([ids.borger[2], ids.borger[0]]);
    expect(due.signals[0]).toMatchObject({ reviewOn: todayInNetherlands(), routes: ['zorg'], status: 'besproken' });
  });
});

describe('GET /v1/triage/signals/{signalId} and …/description', () => {
  it('answers a signal with its history once the look is logged, and no person in it', async () => {
    const detail = await json(`/v1/triage/signals/${ids.assen}?purpose=Voorbereiding%20weegtafel`, keys.drenthe);
    const stored = (await stack.scan('meldroute-signals')).find((s) => s.signalId === ids.assen)!;
    expect(detail).toMatchObject({ signalId: ids.assen, version: stored.version, hasDescription: false, decisions: [], historyComplete: true });
    expect(detail.repeat).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
    expect(detail.history.at(-1)).toEqual({ at: expect.any(String), organisation: 'Drieluik Drenthe', action: 'signal-read' });
    expect(personalTraces(detail)).toEqual([]);
    expect((await auditOf(ids.assen)).at(-1)).toMatchObject({ action: 'signal-read', organisation: 'Drieluik Drenthe', purpose: 'Voorbereiding weegtafel' });
  });

  it('decrypts the free text on a stated purpose, after its entry is in the log', async () => {
    const before = (await auditOf(ids.emmen)).length;
    const read = await json(`/v1/triage/signals/${ids.emmen}/description?purpose=Weegtafel%20dinsdag`, keys.drenthe);
    expect(read).toEqual({ signalId: ids.emmen, description: FREE_TEXT });
    const entries = await auditOf(ids.emmen);
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ action: 'description-read', purpose: 'Weegtafel dinsdag', organisation: 'Drieluik Drenthe', signalId: ids.emmen });
  });

  it('refuses a read of the text without a purpose, or with personal data in it, with a Dutch 422 and no entry', async () => {
    const before = (await auditOf(ids.emmen)).length;
    const missing = await get(`/v1/triage/signals/${ids.emmen}/description`, keys.drenthe);
    expect(missing.status).toBe(422);
    expect(await missing.json()).toMatchObject({ errors: [{ pointer: '/purpose', detail: 'Geef het doel op: waarom deze inzage of handeling nodig is.' }] });
    expect((await get(`/v1/triage/signals/${ids.emmen}/description?purpose=over%20111222333`, keys.drenthe)).status).toBe(422);
    expect(await auditOf(ids.emmen)).toHaveLength(before);
  });

  it('answers 404 no-description for a signal without free text, and logs nothing', async () => {
    const before = (await auditOf(ids.borger[0]!)).length;
    const answer = await get(`/v1/triage/signals/${ids.borger[0]}/description?purpose=Weegtafel`, keys.drenthe);
    expect(answer.status).toBe(404);
    expect(((await answer.json()) as { type: string }).type).toBe('tag:meldroute.nl,2026:problem/no-description');
    expect(await auditOf(ids.borger[0]!)).toHaveLength(before);
  });
});

describe('every route, every key', () => {
  const routes = () => [`/v1/triage/signals`, `/v1/triage/signals/${ids.emmen}`, `/v1/triage/signals/${ids.emmen}/description?purpose=Weegtafel`];

  it('answers 401 without a key or with an unknown one', async () => {
    for (const path of routes()) {
      for (const key of [undefined, 'mr_local_unknown']) {
        const answer = await get(path, key);
        expect(answer.status, path).toBe(401);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }
    }
  });

  it('answers 403 to a key without signals:triage: partner, statistics and privacy officer alike', async () => {
    for (const path of routes()) {
      for (const key of [keys.partner, stack.key('statistics:read'), stack.key('audit:read')]) expect((await get(path, key)).status, path).toBe(403);
    }
  });

  it("answers 403 to the table's and the privacy officer's keys on the partners' and the statistics routes", async () => {
    const partnerRoutes: Array<[string, string, unknown?]> = [
      ['POST', '/v1/signals', { observedAt: '2024-05-01', municipality: 'GM0114', form: 'arbeid' }],
      ['GET', `/v1/signals/${ids.emmen}`],
      ['PATCH', `/v1/signals/${ids.emmen}`, { form: 'seksueel' }],
      ['GET', '/v1/statistics?year=2024'],
    ];
    for (const key of [keys.region, keys.drenthe, stack.key('audit:read')]) {
      for (const [method, path, body] of partnerRoutes) {
        const answer = await fetch(`${stack.ready.apiUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }
    }
  });

  it('puts every triage read of a signal in GET /v1/audit, and no listing', async () => {
    const reads: Array<[string, 'signal-read' | 'description-read']> = [];
    for (const [id, key] of [
      [ids.emmen, keys.drenthe],
      [ids.groningen, keys.region],
      [ids.emmen, keys.region],
    ] as const) {
      await json(`/v1/triage/signals/${id}`, key);
      reads.push([id, 'signal-read']);
    }
    await json(`/v1/triage/signals/${ids.groningen}/description?purpose=Weegtafel%20Groningen`, keys.region);
    reads.push([ids.groningen, 'description-read']);
    await worklist('');

    const period = await json<{ entries: Array<Record<string, any>> }>(`/v1/audit?from=${todayInNetherlands()}&limit=500`, stack.key('audit:read'));
    const triageEntries = period.entries.filter((e) => e.action === 'signal-read' || e.action === 'description-read');
    expect(triageEntries.slice(-reads.length).map((e) => [e.signalId, e.action])).toEqual(reads);
    // No listing is an entry: every entry names a signal.
    expect(period.entries.every((e) => e.signalId !== null)).toBe(true);
    // Each names the key by its hash, never by the key.
    expect(JSON.stringify(period)).not.toContain(keys.drenthe);
    expect(JSON.stringify(period)).not.toContain(keys.region);
  });

  it('writes no person and no free text to the logs while reading', () => {
    for (const needle of PERSONAL) expect(stack.logs.includes(needle), needle).toBe(false);
  });
});
