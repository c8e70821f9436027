import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { hashApiKey, type Principal } from '#domain/partners/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * A decision's note read back over the real emulators: the table writes a note with its decision and reads
 * it at the next meeting on a stated purpose; the read is in the audit log (note-read, naming the decision)
 * and the chain still verifies; keys outside the area, wrong scopes, no purpose, an unknown decision or one
 * without a note read nothing and log nothing; an erased note is gone; and the note rests nowhere in plain.
 */

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const NOTE = 'Slaapt in de caravan achter boerderij De Hoeve; wijkagent Brouwer kent de werkgever.';
const needles = ['caravan achter', 'De Hoeve', 'Brouwer'];
const leaks = (haystack: string) => needles.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));
const person = { bsn: '123456782', gender: 'm', nationality: 'RO' };

let stack: TestStack;
const keys = { region: '', officer: '', drenthe: '', groningen: '' };
const ids = { emmen: '', groningen: '', withNote: '', withoutNote: '', groningenNote: '' };

async function addTriageKey(organisation: string, province: string): Promise<string> {
  const key = `mr_test_${randomBytes(16).toString('hex')}`;
  const principal: Principal = { organisation, sourceType: 'gemeente', scopes: ['signals:triage'], region: 'noord-nederland', province };
  await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(key), principal);
  return key;
}

const send = (method: string, path: string, key: string | undefined, body?: unknown) =>
  fetch(`${stack.ready.apiUrl}${path}`, {
    method,
    headers: { ...(key && { authorization: `Bearer ${key}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
const notePath = (signalId: string, decisionId: string, purpose?: string) =>
  `/v1/triage/signals/${signalId}/decisions/${decisionId}/note${purpose === undefined ? '' : `?purpose=${encodeURIComponent(purpose)}`}`;
const readNote = (signalId: string, decisionId: string, purpose: string | undefined, key: string | undefined) =>
  send('GET', notePath(signalId, decisionId, purpose), key);

/** Records a decision of today's meeting; its id. */
async function decide(signalId: string, note?: string, key = keys.region): Promise<string> {
  const answer = await send('POST', `/v1/triage/signals/${signalId}/decisions`, key, {
    routes: ['zorg'],
    decidedOn: todayInNetherlands(),
    ...(note !== undefined && { note }),
  });
  expect(answer.status, await answer.clone().text()).toBe(201);
  const decision = (await answer.json()) as { decisionId: string; hasNote: boolean };
  expect(decision.hasNote).toBe(note !== undefined);
  return decision.decisionId;
}

type Entry = { action: string; signalId: string; decisionId?: string; purpose: string; organisation: string; keyHash: string };
const auditOf = async (signalId: string) => {
  const answer = await send('GET', `/v1/audit?signalId=${signalId}&limit=500`, keys.officer);
  expect(answer.status).toBe(200);
  return ((await answer.json()) as { entries: Entry[] }).entries;
};

beforeAll(async () => {
  stack = await TestStack.start();
  // Both from .local/credentials.json, as `npm start` wrote them: the region's triage key and the privacy officer's.
  keys.region = stack.key('signals:triage');
  keys.officer = stack.key('privacy:erase');
  keys.drenthe = await addTriageKey('Drieluik Drenthe', 'DR');
  keys.groningen = await addTriageKey('Drieluik Groningen', 'GR');

  const file = async (body: object) => {
    const answer = await stack.post({ observedAt: '2024-09-02', form: 'arbeid', ...body });
    expect(answer.status).toBe(202);
    return ((await answer.json()) as { signalId: string }).signalId;
  };
  ids.emmen = await file({ municipality: 'GM0114', subject: person });
  ids.groningen = await file({ municipality: 'GM0014' });
  await stack.settle();
  ids.withNote = await decide(ids.emmen, NOTE, keys.drenthe);
  ids.withoutNote = await decide(ids.emmen);
  ids.groningenNote = await decide(ids.groningen, NOTE);
}, 180_000);
afterAll(() => stack?.stop());

describe('GET /v1/triage/signals/{signalId}/decisions/{decisionId}/note', () => {
  it('answers the note for the region key at the next meeting, decrypted, not to be cached', async () => {
    const answer = await readNote(ids.emmen, ids.withNote, 'Weegtafel 24 maart: vervolg', keys.region);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('private, no-store');
    expect(await answer.json()).toEqual({ signalId: ids.emmen, decisionId: ids.withNote, note: NOTE });
    // An earlier decision's note stays readable after a later decision superseded it.
    expect((await readNote(ids.emmen, ids.withNote, 'Weegtafel', keys.drenthe)).status).toBe(200);
  });

  it("has each read in the audit log, naming the decision, the purpose and the reader's key hash, and the chain still verifies", async () => {
    const reads = (await auditOf(ids.emmen)).filter((e) => e.action === 'note-read');
    expect(reads).toEqual([
      expect.objectContaining({ decisionId: ids.withNote, purpose: 'Weegtafel 24 maart: vervolg', keyHash: hashApiKey(keys.region) }),
      expect.objectContaining({ decisionId: ids.withNote, purpose: 'Weegtafel', organisation: 'Drieluik Drenthe', keyHash: hashApiKey(keys.drenthe) }),
    ]);
    // The table's own view of the signal shows the reads as history, without purpose or decision.
    const detail = (await (await send('GET', `/v1/triage/signals/${ids.emmen}`, keys.region)).json()) as { history: Array<{ action: string }> };
    expect(detail.history.filter((e) => e.action === 'note-read')).toHaveLength(2);
    // The decisionId is part of each entry's hash: `npm run audit -- verify` recomputes them all.
    const { stdout } = await run('npx', ['tsx', 'infra/audit.ts', 'verify', '--endpoint', stack.ready.dynamoDbEndpoint], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    expect(stdout).toMatch(/entries, chain intact/);
  });

  it('answers 404 to a key whose area does not hold the signal, as for an unknown one, and logs nothing', async () => {
    const before = (await auditOf(ids.emmen)).length;
    for (const [signalId, decisionId, key] of [
      [ids.emmen, ids.withNote, keys.groningen],
      [ids.groningen, ids.groningenNote, keys.drenthe],
      ['00000000-0000-4000-8000-000000000000', ids.withNote, keys.region],
    ] as const) {
      const answer = await readNote(signalId, decisionId, 'Weegtafel', key);
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      expect(await answer.json()).toMatchObject({ type: 'tag:meldroute.nl,2026:problem/not-found', title: 'Melding niet gevonden' });
    }
    expect(await auditOf(ids.emmen)).toHaveLength(before);
    expect((await auditOf(ids.groningen)).filter((e) => e.action === 'note-read')).toEqual([]);
    // The Groningen table reads its own signal's note.
    expect((await readNote(ids.groningen, ids.groningenNote, 'Weegtafel Groningen', keys.groningen)).status).toBe(200);
  });

  it('answers a Dutch 404 for a decision the signal does not have and for a decision without a note, logging nothing', async () => {
    const before = (await auditOf(ids.emmen)).length;
    const cases = [
      [ids.groningenNote, 'decision-not-found', 'Besluit niet gevonden'],
      [ids.withoutNote, 'no-note', 'Geen notitie'],
    ] as const;
    for (const [decisionId, type, title] of cases) {
      const answer = await readNote(ids.emmen, decisionId, 'Weegtafel', keys.region);
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ type: `tag:meldroute.nl,2026:problem/${type}`, title });
    }
    expect(await auditOf(ids.emmen)).toHaveLength(before);
  });

  it('answers 422 in Dutch without a purpose or with personal data in it, logging nothing', async () => {
    const before = (await auditOf(ids.emmen)).length;
    for (const purpose of [undefined, '', 'Bellen met 06 12345678']) {
      const answer = await readNote(ids.emmen, ids.withNote, purpose, keys.region);
      expect(answer.status, String(purpose)).toBe(422);
      const problem = (await answer.json()) as { detail: string; errors: Array<{ pointer: string; detail: string }> };
      expect(problem.detail).toBe('Geef een doel op, zonder persoonsgegevens.');
      expect(problem.errors[0]!.pointer).toBe('/purpose');
    }
    expect(await auditOf(ids.emmen)).toHaveLength(before);
  });

  it('answers 401 without a key or with an unknown one, and 403 for keys without signals:triage', async () => {
    expect((await readNote(ids.emmen, ids.withNote, 'Weegtafel', undefined)).status).toBe(401);
    expect((await readNote(ids.emmen, ids.withNote, 'Weegtafel', 'mr_unknown_key')).status).toBe(401);
    for (const scope of ['signals:write', 'statistics:read', 'audit:read'] as const) {
      const answer = await readNote(ids.emmen, ids.withNote, 'Weegtafel', stack.key(scope));
      expect(answer.status, scope).toBe(403);
      expect(leaks(await answer.text())).toEqual([]);
    }
  });

  it('is in the OpenAPI document with its purpose and 404s', async () => {
    const document = (await (await send('GET', '/v1/openapi.json', undefined)).json()) as { paths: Record<string, any> };
    const operation = document.paths['/v1/triage/signals/{signalId}/decisions/{decisionId}/note']?.get;
    expect(operation.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['signalId', 'decisionId', 'purpose']));
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '401', '403', '404', '422']));
  });
});

describe('the note', () => {
  it('rests nowhere in plain: not in a table, not in the audit log, not in a log line', async () => {
    await stack.settle();
    for (const table of await stack.tableNames()) expect(leaks(JSON.stringify(await stack.scan(table))), table).toEqual([]);
    expect(leaks(JSON.stringify(await auditOf(ids.emmen)))).toEqual([]);
    expect(stack.logs).toContain('decision recorded');
    expect(leaks(stack.logs)).toEqual([]);
  });

  it("is gone after the person's erasure: 404 no-note, and the erasure is logged", async () => {
    const erased = await send('POST', '/v1/privacy/erasures', keys.officer, { person: { bsn: person.bsn }, reason: 'Verzoek van betrokkene (AVG art. 17)' });
    expect(erased.status, await erased.clone().text()).toBe(200);
    expect(await erased.json()).toMatchObject({ erased: 1 });
    const answer = await readNote(ids.emmen, ids.withNote, 'Weegtafel', keys.region);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ type: 'tag:meldroute.nl,2026:problem/no-note' });
    expect((await auditOf(ids.emmen)).at(-1)).toMatchObject({ action: 'erasure' });
  });
});
