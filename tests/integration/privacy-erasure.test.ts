import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { DynamoDbLinkIndex } from '#adapters/dynamodb/link-index.js';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import { repeatInfo } from '#domain/linking/index.js';
import { hashApiKey } from '#domain/partners/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * Legal basis, erasure and retention over the emulators. One person (Jan) is signalled by a municipality
 * through the API (its key records the legal basis `meldcode`) and by the police by e-mail (its sender
 * entry records `wettelijke-taak`); another person by the municipality with a legal basis of the signal's
 * own. The privacy officer erases Jan: both signals are stripped and unlinked, the counts stay, the audit
 * log says so, and a new signal of Jan is linked to neither. Then the retention sweep (every second here)
 * strips a signal made old.
 */
const root = resolve(import.meta.dirname, '../..');
const JAN = { name: 'Jan Hendrik de Vries', dateOfBirth: '1990-05-01', bsn: '111222333', phone: '06 12345678' };
const PIET = { name: 'Piet Bakker', dateOfBirth: '1985-02-03', bsn: '123456782', email: 'piet.bakker@voorbeeld.nl' };
const PLAIN = [
  'Jan Hendrik de Vries',
  '1990-05-01',
  '111222333',
  '612345678',
  'Piet Bakker',
  '123456782',
  'piet.bakker@voorbeeld.nl',
  'zeven dagen',
  'achter de kassen',
];

let stack: TestStack;
let municipalityKey: string;
let officerKey: string;
let signals: DynamoDbSignalStore;
const links = () => ({ links: new DynamoDbLinkIndex(stack.dynamo, 'meldroute-links') });

/** `npm run keys -- …` against the stack's DynamoDB Local, as an operator runs it; its output. */
async function keys(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)('npx', ['tsx', 'infra/partner-keys.ts', ...args, '--endpoint', stack.ready.dynamoDbEndpoint], {
    cwd: root,
    env: { ...process.env, NODE_NO_WARNINGS: '1' },
  });
  return stdout;
}

const signalIdOf = async (response: Response) => {
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
};

/** POST /v1/privacy/erasures with the privacy officer's key, another key, or (null) none. */
const erase = (body: unknown, key: string | null = officerKey) =>
  fetch(`${stack.ready.apiUrl}/v1/privacy/erasures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key !== null && { authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });

/** The figures without the times they were made and last changed: what must not move. */
async function counts() {
  const { generatedAt: _g, updatedAt: _u, ...figures } = await stack.statistics('region=noord-nederland&year=2024&cross=municipality,form');
  return figures;
}

/** Waits until the aggregator has applied the signal's current version (a change that moves no count is applied too). */
async function waitUntilApplied(signalId: string) {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const version = (await signals.get(signalId))?.version;
    const applied = (await stack.scan('meldroute-statistics')).find((item) => item.pk === `applied#${signalId}`);
    if (version !== undefined && applied?.version === version) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`version of ${signalId} never applied`);
}

let janByApi: string;
let janByMail: string;
let piet: string;
let withoutBasis: string;

beforeAll(async () => {
  stack = await TestStack.start({ env: { LOCAL_RETENTION_SCHEDULE_SECONDS: '1' } });
  signals = new DynamoDbSignalStore(stack.dynamo, 'meldroute-signals');
  const created = await keys(
    'create',
    '--organisation',
    'Gemeente Emmen',
    '--source-type',
    'gemeente',
    '--scope',
    'signals:write',
    '--legal-basis',
    'meldcode',
  );
  expect(created).toContain('grondslag meldcode');
  municipalityKey = /\b(mr_local_\S+)/.exec(created)![1]!;
  const sender = await keys(
    'sender',
    '--domain',
    'politie.nl',
    '--organisation',
    'Politie Drenthe',
    '--source-type',
    'politie',
    '--legal-basis',
    'wettelijke-taak',
  );
  expect(sender).toContain('grondslag wettelijke-taak');
  officerKey = 'mr_test_privacyfunctionaris_0000000000000001';
  await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(officerKey), {
    organisation: 'Privacyfunctionaris Noord-Nederland',
    sourceType: 'gemeente',
    scopes: ['privacy:erase', 'audit:read'],
    region: 'noord-nederland',
  });

  const asMunicipality = { authorization: `Bearer ${municipalityKey}` };
  janByApi = await signalIdOf(
    await stack.post(
      { externalId: 'EMN-2024-7', observedAt: '2024-03-05', municipality: 'GM0114', form: 'arbeid', subject: JAN, description: 'Werkt zeven dagen per week.' },
      asMunicipality,
    ),
  );
  piet = await signalIdOf(
    await stack.post(
      { observedAt: '2024-04-02', municipality: 'GM0106', form: 'seksueel', subject: PIET, description: 'Woont achter de kassen.', legalBasis: 'toestemming' },
      asMunicipality,
    ),
  );
  // The local partner key, made before the legal basis was recorded: it has none, and keeps working.
  withoutBasis = await signalIdOf(await stack.post({ observedAt: '2024-05-01', municipality: 'GM0014', form: 'crimineel' }));
  const { response } = await stack.sendMail({
    from: 'wijkagent@politie.nl',
    subject: 'Signaal',
    text: [
      'Gemeente: Emmen',
      'Vorm van uitbuiting: arbeidsuitbuiting',
      'Datum: 10-06-2024',
      `BSN: ${JAN.bsn}`,
      'Toelichting: Werkt zeven dagen per week.',
    ].join('\n'),
  });
  expect(response).toMatch(/^250 /);
  await stack.settle();
  janByMail = (await stack.scan('meldroute-signals')).find((s) => s.channel === 'email')!.signalId;
}, 120_000);
afterAll(() => stack?.stop());

describe('the legal basis of a signal', () => {
  it('comes from the API key, from the mail sender, or from the signal itself, and is absent for a key made without one', async () => {
    expect(await signals.get(janByApi)).toMatchObject({ legalBasis: 'meldcode', organisation: 'Gemeente Emmen' });
    expect(await signals.get(janByMail)).toMatchObject({ legalBasis: 'wettelijke-taak', organisation: 'Politie Drenthe' });
    expect(await signals.get(piet)).toMatchObject({ legalBasis: 'toestemming' });
    expect(await signals.get(withoutBasis)).not.toHaveProperty('legalBasis');
  });

  it('is shown to the table in the triage view of each signal', async () => {
    for (const [signalId, legalBasis] of [
      [janByApi, 'meldcode'],
      [janByMail, 'wettelijke-taak'],
      [piet, 'toestemming'],
    ] as const) {
      const answer = await fetch(`${stack.ready.apiUrl}/v1/triage/signals/${signalId}`, {
        headers: { authorization: `Bearer ${stack.key('signals:triage')}` },
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ signalId, legalBasis });
    }
  });

  it('refuses a legal basis that does not exist with a 422 naming the field', async () => {
    const response = await stack.post({ observedAt: '2024-05-01', municipality: 'GM0014', form: 'crimineel', legalBasis: 'omdat-het-kan' });
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual([{ pointer: '/legalBasis', detail: expect.stringContaining('meldcode') }]);
  });
});

describe('POST /v1/privacy/erasures', () => {
  it('answers 401 without a key or with an unknown one, and 403 for every key without privacy:erase', async () => {
    for (const key of [null, 'mr_local_unknown']) {
      const anonymous = await erase({ person: { bsn: JAN.bsn } }, key);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toBe('application/problem+json');
    }
    const auditOnly = 'mr_test_auditor_00000000000000000000000001';
    await new DynamoDbApiKeyStore(stack.dynamo, 'meldroute-partners').put(hashApiKey(auditOnly), {
      organisation: 'Auditor Noord-Nederland',
      sourceType: 'overig',
      scopes: ['audit:read'],
      region: 'noord-nederland',
    });
    for (const key of [municipalityKey, stack.key('statistics:read'), stack.key('signals:triage'), auditOnly]) {
      expect((await erase({ person: { bsn: JAN.bsn } }, key)).status, key).toBe(403);
    }
    expect((await signals.get(janByApi))!.erasedAt).toBeUndefined();
  });

  it('erases the person signalled by two organisations through the API and by e-mail, and leaves the counts exactly as they were', async () => {
    expect((await repeatInfo(janByMail, links()))?.earlierSignals).toBe(1);
    // The consumer puts each signal's person standing on it after linking (a version of its own): counted first.
    const versions = new Map<string, number>();
    for (const signalId of [janByApi, janByMail]) {
      const deadline = Date.now() + 15_000;
      while (!(await signals.get(signalId))?.person && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await waitUntilApplied(signalId);
      versions.set(signalId, (await signals.get(signalId))!.version);
    }
    const before = await counts();
    const response = await erase({ person: { bsn: '111 222 333' }, reason: 'Verzoek van betrokkene', reference: 'AVG-2026-014' });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ erased: 2, signalIds: [janByApi, janByMail].sort(), erasedAt: expect.any(String) });

    for (const signalId of [janByApi, janByMail]) {
      await waitUntilApplied(signalId);
      const stored = (await stack.scan('meldroute-signals')).find((s) => s.signalId === signalId)!;
      // The pseudonyms, the text with its wrapped data key, and the partner's reference are gone; the rest stays.
      expect(stored.subject.pseudonyms).toEqual({});
      expect(stored).not.toHaveProperty('description');
      expect(stored).not.toHaveProperty('externalRef');
      expect(stored).toMatchObject({ form: 'arbeid', municipality: 'GM0114', erasedAt: expect.any(String), version: versions.get(signalId)! + 1 });
    }
    expect(await counts()).toEqual(before);
    // Piet's signal is untouched.
    expect((await signals.get(piet))!.description).toBeDefined();
  });

  it('leaves no link entry of the erased signals', async () => {
    const items = await stack.scan('meldroute-links');
    for (const signalId of [janByApi, janByMail]) {
      expect(items.filter((item) => item.signalId === signalId || item.pk === `signal#${signalId}`)).toEqual([]);
    }
    expect(items.some((item) => item.signalId === piet)).toBe(true);
  });

  it('logs one erasure per signal with the reference, for the privacy officer to read', async () => {
    for (const signalId of [janByApi, janByMail]) {
      const page = await (await fetch(`${stack.ready.apiUrl}/v1/audit?signalId=${signalId}`, { headers: { authorization: `Bearer ${officerKey}` } })).json();
      // After the table's one look at the signal (its legal basis, above).
      expect(page.entries.map((e: { action: string }) => e.action)).toEqual(['signal-read', 'erasure']);
      expect(page.entries.slice(1)).toEqual([
        expect.objectContaining({
          action: 'erasure',
          signalId,
          organisation: 'Privacyfunctionaris Noord-Nederland',
          keyHash: hashApiKey(officerKey),
          purpose: 'Verzoek van betrokkene; kenmerk AVG-2026-014',
        }),
      ]);
    }
  });

  it('finds nothing more when asked again', async () => {
    const response = await erase({ person: { bsn: JAN.bsn, phone: JAN.phone } });
    expect(await response.json()).toMatchObject({ erased: 0, signalIds: [] });
  });

  it('leaves the person unlinkable: a new signal with the same identifiers is linked to none of the erased ones', async () => {
    const fresh = await signalIdOf(
      await stack.post({ observedAt: '2024-09-01', municipality: 'GM0114', form: 'arbeid', subject: JAN }, { authorization: `Bearer ${municipalityKey}` }),
    );
    await stack.settle();
    expect(await repeatInfo(fresh, links())).toEqual({ earlierSignals: 0, organisations: 0, complete: true });
  });

  it('answers 422 for a name without a birth date, and for a BSN that fails the elfproef', async () => {
    const alone = await erase({ person: { name: JAN.name } });
    expect(alone.status).toBe(422);
    expect((await alone.json()).errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/person/dateOfBirth']);
    expect((await erase({ person: { bsn: '111222334' } })).status).toBe(422);
  });
});

describe('retention', () => {
  it('strips a signal whose last change lies more than five years back, keeping its counts, at the next sweep', async () => {
    const before = await counts();
    const old = (await signals.get(piet))!;
    expect(await signals.update(piet, old.version, { changedAt: '2019-01-01T00:00:00.000Z' })).toBe(true);
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(await signals.get(piet))!.erasedAt) await new Promise((r) => setTimeout(r, 200));
    const stripped = (await signals.get(piet))!;
    expect(stripped).toMatchObject({ subject: { pseudonyms: {} }, legalBasis: 'toestemming', form: 'seksueel', erasedAt: expect.any(String) });
    expect(stripped).not.toHaveProperty('description');
    // The sweep unlinks a signal after stripping it (a run stopped in between unlinks it the next time).
    const linked = async () => (await stack.scan('meldroute-links')).filter((item) => item.signalId === piet || item.pk === `signal#${piet}`);
    const unlinkedBy = Date.now() + 10_000;
    while (Date.now() < unlinkedBy && (await linked()).length > 0) await new Promise((r) => setTimeout(r, 200));
    expect(await linked()).toEqual([]);
    await waitUntilApplied(piet);
    expect(await counts()).toEqual(before);
    // Recent signals are left alone.
    expect((await signals.get(withoutBasis))!.erasedAt).toBeUndefined();
  });
});

describe('privacy', () => {
  it('holds none of the identifiers or texts in any table or log line, the erasure requests included', async () => {
    for (const table of await stack.tableNames()) {
      const text = JSON.stringify(await stack.scan(table), (_k, v) => (v instanceof Set ? [...v] : v)).toLowerCase();
      for (const plain of PLAIN) expect(text, table).not.toContain(plain.toLowerCase());
    }
    for (const plain of PLAIN) expect(stack.logs.toLowerCase()).not.toContain(plain.toLowerCase());
  });
});
