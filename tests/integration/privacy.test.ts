import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { WORKLIST_INDEX_FIELDS } from '#domain/casework/index.js';
import { todayInNetherlands } from '#domain/kernel/index.js';
import { hashApiKey } from '#domain/partners/index.js';
import { tables as definedTables } from '../../infra/resources.js';
import { TestStack } from './support/local-stack.js';

/** Everything personal that the run sends in; none of it may rest anywhere in plain text. */
const PERSONAL = {
  names: ['Johanna Kowalczyk-Brouwer', 'Kowalczyk', 'Piotr Zieliński', 'Zieliński', 'Zielinski'],
  birthDates: ['1998-07-21', '2008-01-30'],
  bsns: ['111222333', '123456782'],
  phones: ['06 12 34 56 78', '0612345678', '+31612345678', '612345678', '+48 601 234 567', '48601234567'],
  emails: ['piotr.zielinski@voorbeeld.nl', 'piotr.zielinski'],
  freeText: ['Woont boven de snackbar aan de Kerkstraat 12', 'snackbar', 'Kerkstraat', 'paspoort ingenomen', 'Oom Henk', 'Zuidlaardermeer'],
  references: ['DOSSIER-Johanna', 'idem-Johanna'],
  /** A person the privacy officer asks to erase: signalled by no one here, so nothing changes but the log. */
  erasure: ['Klaas Vaak-Terpstra', '1979-11-05', '0698123456', '698123456', 'klaas.vaak@voorbeeld.nl'],
  batch: [
    'Aleksandra Wójcik-Terpstra',
    'Wójcik',
    'Wojcik',
    '2003-09-17',
    '284715360',
    '284715361',
    '06 87 65 43 21',
    '687654321',
    'aleksandra.wojcik@voorbeeld.nl',
    'caravan achter de boerderij',
    'Dijkweg',
    'BATCH-Aleksandra',
  ],
};
const needles = Object.values(PERSONAL).flat();

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** JSON.stringify writes a Set (a string set attribute) as {}: list its members, so they are searched too. */
const setsAsLists = (_key: string, value: unknown) => (value instanceof Set ? [...value] : value);

function leaks(haystack: string): string[] {
  const lower = haystack.toLowerCase();
  return needles.filter((n) => lower.includes(n.toLowerCase()));
}

let stack: TestStack;
beforeAll(async () => {
  // Persisted, so the DynamoDB files on disk can be searched too.
  stack = await TestStack.start({ inMemory: false });

  const johanna = {
    externalId: 'DOSSIER-Johanna',
    observedAt: '2024-02-10',
    municipality: 'GM0080',
    form: 'seksueel',
    subject: { name: 'Johanna Kowalczyk-Brouwer', dateOfBirth: '2008-01-30', bsn: '111222333', phone: '06 12 34 56 78', gender: 'v', nationality: 'PL' },
    description: 'Woont boven de snackbar aan de Kerkstraat 12; paspoort ingenomen.',
  };
  const piotr = {
    observedAt: '2024-02-11',
    municipality: 'onbekend',
    province: 'FR',
    form: 'arbeid',
    subject: { name: 'Piotr Zieliński', dateOfBirth: '1998-07-21', bsn: '123456782', phone: '+48 601 234 567', email: 'piotr.zielinski@voorbeeld.nl' },
    description: 'Woont boven de snackbar aan de Kerkstraat 12',
  };
  expect((await stack.post(johanna, { 'idempotency-key': 'idem-Johanna' })).status).toBe(202);
  expect((await stack.post(johanna, { 'idempotency-key': 'idem-Johanna' })).status).toBe(202);
  expect((await stack.post(piotr)).status).toBe(202);
  // Refused requests carrying personal data: a 422 (bad BSN), a 409 (same key, other body), a 400.
  expect((await stack.post({ ...piotr, subject: { ...piotr.subject, bsn: '123456789' } })).status).toBe(422);
  expect((await stack.post({ ...johanna, form: 'arbeid' }, { 'idempotency-key': 'idem-Johanna' })).status).toBe(409);
  expect((await stack.post(`{"subject":{"name":"Johanna Kowalczyk-Brouwer"`)).status).toBe(400);

  // A batch: one signal taken in, and two refused (a BSN that fails the elfproef, an unknown municipality), all with personal data.
  const aleksandra = {
    externalId: 'BATCH-Aleksandra',
    observedAt: '2024-03-05',
    municipality: 'GM0037',
    form: 'arbeid',
    subject: {
      name: 'Aleksandra Wójcik-Terpstra',
      dateOfBirth: '2003-09-17',
      bsn: '284715360',
      phone: '06 87 65 43 21',
      email: 'aleksandra.wojcik@voorbeeld.nl',
    },
    description: 'Slaapt in een caravan achter de boerderij aan de Dijkweg.',
  };
  const batch = await stack.post(
    {
      signals: [
        aleksandra,
        { ...aleksandra, externalId: 'BATCH-Aleksandra-2', subject: { ...aleksandra.subject, bsn: '284715361' } },
        { ...aleksandra, externalId: 'BATCH-Aleksandra-3', municipality: 'GM9999' },
      ],
    },
    {},
    '/v1/signals/batch',
  );
  expect(batch.status).toBe(207);
  expect(await batch.json()).toMatchObject({ accepted: 1, invalid: 2 });

  // A real signal that ends in the dead-letter queue: held back from the consumer and received five times.
  await stack.settle();
  await stack.command('pause-consumer');
  expect((await stack.post({ ...piotr, observedAt: '2024-02-12' })).status).toBe(202);
  for (let receives = 0; receives < 5; ) {
    receives += (await stack.peek(stack.ready.queues.signals)).length;
    await new Promise((r) => setTimeout(r, 1_100));
  }
  await stack.waitForMessages(stack.ready.queues.signalsDeadLetter, 1);
  await stack.command('resume-consumer');
  await stack.settle();

  // The table's decision on Johanna's signal, with a note that names people and places: stored only encrypted.
  const triageKey = `mr_test_${randomBytes(16).toString('hex')}`;
  await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(triageKey), {
    organisation: 'Ketenregisseur Noord-Nederland',
    sourceType: 'gemeente',
    scopes: ['signals:triage'],
    region: 'noord-nederland',
  });
  const johannaId = (await stack.scan('meldroute-signals')).find((s) => s.observedAt === '2024-02-10')!.signalId;
  const decided = await fetch(`${stack.ready.apiUrl}/v1/triage/signals/${johannaId}/decisions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${triageKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ routes: ['zorg'], decidedOn: todayInNetherlands(), note: 'Oom Henk vangt haar op in zijn huis aan het Zuidlaardermeer.' }),
  });
  expect(decided.status).toBe(201);
  await stack.settle();

  // The table reads: the worklist, each signal, and the free text on a purpose (decrypted in the handler, never logged).
  const triage = { authorization: `Bearer ${stack.key('signals:triage')}` };
  expect((await fetch(`${stack.ready.apiUrl}/v1/triage/signals`, { headers: triage })).status).toBe(200);
  let texts = 0;
  for (const { signalId } of await stack.scan('meldroute-signals')) {
    expect((await fetch(`${stack.ready.apiUrl}/v1/triage/signals/${signalId}`, { headers: triage })).status).toBe(200);
    const text = await fetch(`${stack.ready.apiUrl}/v1/triage/signals/${signalId}/description?purpose=Weegtafel`, { headers: triage });
    if (text.status === 200) texts++;
  }
  expect(texts).toBeGreaterThan(0);

  // A request for erasure carries a person's identifiers: pseudonymised on arrival, never kept, never logged.
  const eraseKey = `mr_test_${randomBytes(16).toString('hex')}`;
  await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(eraseKey), {
    organisation: 'Privacyfunctionaris Noord-Nederland',
    sourceType: 'gemeente',
    scopes: ['privacy:erase'],
    region: 'noord-nederland',
  });
  const erasure = await fetch(`${stack.ready.apiUrl}/v1/privacy/erasures`, {
    method: 'POST',
    headers: { authorization: `Bearer ${eraseKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      person: { name: 'Klaas Vaak-Terpstra', dateOfBirth: '1979-11-05', phone: '0698123456', email: 'klaas.vaak@voorbeeld.nl' },
      reference: 'AVG-2026-001',
    }),
  });
  expect(await erasure.json()).toMatchObject({ erased: 0 });
}, 120_000);
afterAll(() => stack?.stop());

describe('no plaintext personal data at rest, on a queue or in a log (API channel)', () => {
  it('stores the signals, pseudonymised and with the text encrypted', async () => {
    const signals = await stack.scan('meldroute-signals');
    expect(signals).toHaveLength(3);
    for (const signal of signals) {
      expect(signal.subject.pseudonyms.bsn).toMatch(/^[a-f0-9]{64}$/);
      expect(signal.description).toMatchObject({ alg: 'AES-256-GCM', ciphertext: expect.any(String) });
    }
    // The table's note too, each under a data key of its own.
    const note = signals.flatMap((s) => s.decisions ?? [])[0]?.note;
    expect(note).toMatchObject({ alg: 'AES-256-GCM', ciphertext: expect.any(String) });
    expect(signals.map((s) => s.subject.minor).sort()).toEqual([false, false, true]);
  });

  it('holds none of it in any table', async () => {
    // Every table the stack defines is there to be searched, the links table among them.
    const tables = await stack.tableNames();
    expect([...tables].sort()).toEqual(
      Object.values(definedTables)
        .map((t) => t.name)
        .sort(),
    );
    for (const table of tables) expect(leaks(JSON.stringify(await stack.scan(table), setsAsLists)), table).toEqual([]);
  });

  it('links the signals by pseudonyms only: the links table holds keys of pseudonyms, ids and dates', async () => {
    expect(await stack.tableNames()).toContain('meldroute-links');
    const items = await stack.scan('meldroute-links');
    const links = items.filter((item) => item.pk !== 'pending-erasure');
    // Johanna by BSN, name with date of birth and phone; Piotr and Aleksandra by those and an e-mail; each signal's own entry.
    expect(links).toHaveLength(3 + 4 + 4 + 3);
    for (const item of links) {
      expect(item.pk).toMatch(/^(key#local-pseudonym-1#(bsn|nameDateOfBirth|phone|email)#[a-f0-9]{64}|signal#[0-9a-f-]{36})$/);
    }
    expect(leaks(JSON.stringify(items, setsAsLists))).toEqual([]);
  });

  it("keeps the erasure's pending item (for signals still on a queue) to index keys, who asked and why", async () => {
    const pending = (await stack.scan('meldroute-links')).filter((item) => item.pk === 'pending-erasure');
    expect(pending).toHaveLength(1);
    expect(Object.keys(pending[0]!).sort()).toEqual(['erasedAt', 'erasureId', 'expiresAt', 'keyHash', 'keys', 'organisation', 'pk', 'purpose', 'sk']);
    for (const key of pending[0]!.keys) expect(key).toMatch(/^key#local-pseudonym-1#(nameDateOfBirth|phone|email)#[a-f0-9]{64}$/);
    expect(pending[0]!.purpose).toBe('Verzoek tot wissing van betrokkene (AVG art. 17); kenmerk AVG-2026-001');
  });

  it("keeps the signals table's worklist index free of it: classification only, no pseudonym, no encrypted text", async () => {
    const { Items = [] } = await stack.dynamo.send(new ScanCommand({ TableName: 'meldroute-signals', IndexName: 'byRegion' }));
    const rows = Items.map((item) => unmarshall(item));
    expect(rows).toHaveLength(3);
    const allowed = new Set(['signalId', 'region', 'receivedAt', ...WORKLIST_INDEX_FIELDS]);
    for (const row of rows) expect(Object.keys(row).filter((name) => !allowed.has(name))).toEqual([]);
    expect(JSON.stringify(rows)).not.toMatch(/[0-9a-f]{64}/);
    expect(leaks(JSON.stringify(rows))).toEqual([]);
  });

  it('holds none of it in any queue message, the dead-letter queue included', async () => {
    const dead = await stack.waitForMessages(stack.ready.queues.signalsDeadLetter, 1);
    expect(dead.length).toBe(1);
    expect(JSON.parse(dead[0]!.Body!).subject.pseudonyms.email).toMatch(/^[a-f0-9]{64}$/);
    expect(leaks(JSON.stringify(dead))).toEqual([]);
    for (const url of [stack.ready.queues.signals, stack.ready.queues.aggregatorFailures]) {
      expect(leaks(JSON.stringify(await stack.peek(url))), url).toEqual([]);
    }
  });

  it('writes none of it to the logs', () => {
    expect(stack.logs).toContain('signal accepted');
    expect(stack.logs).toContain('signal batch taken in');
    expect(leaks(stack.logs)).toEqual([]);
  });

  it("keeps API keys only as hashes: in no table and in no handler log line (only npm start's banner shows them)", async () => {
    const keys = stack.ready.credentials.keys.map((k) => k.key);
    for (const table of await stack.tableNames()) {
      const content = JSON.stringify(await stack.scan(table));
      for (const key of keys) expect(content.includes(key), table).toBe(false);
    }
    const handlerLines = stack.logs.split('\n').filter((line) => line.startsWith('{'));
    expect(handlerLines.length).toBeGreaterThan(0);
    for (const key of keys) expect(handlerLines.filter((line) => line.includes(key))).toEqual([]);
  });

  it('leaves none of it in the files on disk: DynamoDB Local, the SQS journal, keys and mail', () => {
    const files = filesUnder(stack.dataDir);
    expect(files.some((f) => f.includes('dynamodb'))).toBe(true);
    expect(files.some((f) => f.endsWith('sqs-journal.jsonl'))).toBe(true);
    for (const file of files) expect(leaks(readFileSync(file).toString('latin1')), file).toEqual([]);
    // The same search in UTF-8, for the names with diacritics.
    for (const file of files) expect(leaks(readFileSync(file).toString('utf8')), file).toEqual([]);
  });
});
