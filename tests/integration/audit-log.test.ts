import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbAuditLog } from '#adapters/dynamodb/audit-log.js';
import { type AuditEntry, type AuditRecord, appendAudit, verifyChain } from '#domain/casework/index.js';
import { hashApiKey } from '#domain/partners/index.js';
import { TestStack } from './support/local-stack.js';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

const SIGNAL = '3f1c2a9e-5b7d-4c1e-9a2b-6d8e0f1a2b3c';
const OTHER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
/** What a careless purpose could hold; none of it may reach the audit table. */
const PERSONAL = ['111222333', 'piotr.zielinski@voorbeeld.nl', '06 12 34 56 78', '0612345678'];

let stack: TestStack;
let log: DynamoDbAuditLog;
let triageKey: string;
let record: (overrides?: Partial<AuditRecord>) => AuditRecord;
const appended: AuditEntry[] = [];
let lostRaces = 0;

/** `npm run audit -- verify` against this stack's DynamoDB Local, as an operator runs it. */
async function verifyScript(): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'infra/audit.ts', 'verify', '--endpoint', stack.ready.dynamoDbEndpoint], {
      cwd: root,
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, out: failed.stdout + failed.stderr };
  }
}

const get = (query: string, key?: string) => fetch(`${stack.ready.apiUrl}/v1/audit?${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  // Persisted, so that the DynamoDB files on disk can be searched too.
  stack = await TestStack.start({ inMemory: false });
  log = new DynamoDbAuditLog(stack.dynamo, 'meldroute-audit');
  // The key a triage user would read signals with; the log holds only its hash.
  triageKey = await stack.addKey('Meldpunt Noord-Nederland', ['signals:write']);
  record = (overrides = {}) => ({
    organisation: 'Meldpunt Noord-Nederland',
    keyHash: hashApiKey(triageKey),
    action: 'signal-read',
    signalId: SIGNAL,
    purpose: 'Triage voor de weegtafel',
    ...overrides,
  });

  // Appended one by one, then four at once, as triage requests racing for the head would.
  for (const overrides of [{}, { action: 'description-read' as const }, { action: 'enrichment' as const, signalId: OTHER }]) {
    const result = await appendAudit(record(overrides), { log });
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    appended.push(result.entry);
  }
  // Each writes only once all four have read the head, so that all four chain onto the same entry 3.
  let headReads = 0;
  let allRead: () => void = () => undefined;
  const together = new Promise<void>((resolve) => {
    allRead = resolve;
  });
  const racingLog = {
    head: async () => {
      const head = await log.head();
      if (++headReads === 4) allRead();
      return head;
    },
    append: async (entry: AuditEntry, previous: Awaited<ReturnType<typeof log.head>>) => {
      await together;
      const won = await log.append(entry, previous);
      if (!won) lostRaces++;
      return won;
    },
  };
  const racing = await Promise.all(
    ['Besluit weegtafel', 'Tweede lezing', 'Overleg politie', 'Afronding'].map((purpose, i) =>
      appendAudit(record({ purpose, action: i % 2 ? 'decision' : 'signal-read', signalId: i === 3 ? null : SIGNAL }), { log: racingLog, maxAttempts: 20 }),
    ),
  );
  for (const result of racing) {
    if (!result.ok) throw new Error(JSON.stringify(result.problem));
    appended.push(result.entry);
  }
}, 120_000);
afterAll(() => stack?.stop());

describe('the audit log over DynamoDB Local', () => {
  it('numbers appends 1 … 7 without a fork, though four raced for the head: three lost, read the new head and tried again', async () => {
    expect(lostRaces).toBeGreaterThanOrEqual(3);
    expect(appended.map((e) => e.sequence).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const stored: AuditEntry[] = [];
    for await (const entry of log.entries()) stored.push(entry);
    expect(stored.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(verifyChain(stored, await log.head())).toEqual({ intact: true, count: 7 });
  });

  it('refuses a purpose with personal data, and writes nothing for it', async () => {
    for (const purpose of [`Gesprek over BSN ${PERSONAL[0]}`, `Mail van ${PERSONAL[1]}`, `Gebeld op ${PERSONAL[2]}`]) {
      const result = await appendAudit(record({ purpose }), { log });
      expect(result).toMatchObject({ ok: false, problem: { status: 422, errors: [{ pointer: '/purpose' }] } });
    }
    expect((await log.head()).sequence).toBe(7);
  });
});

describe('GET /v1/audit', () => {
  it('answers 401 without a key or with an unknown one, and 403 to a triage, a partner and a statistics key', async () => {
    for (const key of [undefined, 'mr_local_unknown']) {
      const without = await get(`signalId=${SIGNAL}`, key);
      expect(without.status).toBe(401);
      expect(without.headers.get('content-type')).toBe('application/problem+json');
    }
    expect((await get(`signalId=${SIGNAL}`, triageKey)).status).toBe(403);
    expect((await get(`signalId=${SIGNAL}`, stack.key('signals:write'))).status).toBe(403);
    expect((await get(`signalId=${SIGNAL}`, stack.key('statistics:read'))).status).toBe(403);
  });

  it("gives the privacy officer a signal's entries, page by page, with the key only as its hash", async () => {
    const officer = stack.key('audit:read');
    expect(stack.ready.credentials.keys.find((k) => k.key === officer)).toMatchObject({
      organisation: 'Lokale privacyfunctionaris',
      scopes: ['audit:read', 'privacy:erase'],
    });
    const first = await get(`signalId=${SIGNAL}&limit=3`, officer);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const page = (await first.json()) as { entries: AuditEntry[]; next: string | null };
    // Which of the racing appends got which sequence is the race's to decide.
    const expected = appended
      .filter((e) => e.signalId === SIGNAL)
      .map((e) => e.sequence)
      .sort((a, b) => a - b);
    expect(expected).toHaveLength(5);
    expect(page.entries.map((e) => e.sequence)).toEqual(expected.slice(0, 3));
    expect(page.next).toBe(String(expected[2]));
    expect(page.entries[0]).toEqual(appended.find((e) => e.sequence === 1));
    expect(page.entries.every((e) => e.keyHash === hashApiKey(triageKey))).toBe(true);
    expect(JSON.stringify(page)).not.toContain(triageKey);
    const rest = (await (await get(`signalId=${SIGNAL}&limit=3&cursor=${page.next}`, officer)).json()) as { entries: AuditEntry[]; next: string | null };
    expect(rest.entries.map((e) => e.sequence)).toEqual(expected.slice(3));
    expect(rest.next).toBeNull();
  });

  it('gives the entries of a period, today by its date', async () => {
    const officer = stack.key('audit:read');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());
    const page = (await (await get(`from=${today}&to=${today}`, officer)).json()) as { entries: AuditEntry[] };
    expect(page.entries.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    const fromThird = appended.find((e) => e.sequence === 3)!.at;
    const later = (await (await get(`from=${encodeURIComponent(fromThird)}&limit=2`, officer)).json()) as { entries: AuditEntry[]; next: string };
    expect(later.entries.map((e) => e.sequence)).toEqual([3, 4]);
    expect((await get('from=2026-02-30', officer)).status).toBe(422);
  });
});

describe('npm run audit -- verify', () => {
  it('reads the chain in order and finds it intact', async () => {
    const { code, out } = await verifyScript();
    expect(out).toMatch(/^7 entries, chain intact/m);
    expect(code).toBe(0);
  }, 60_000);

  it('names an entry changed in the table, and exits 1', async () => {
    await stack.dynamo.send(
      new UpdateItemCommand({
        TableName: 'meldroute-audit',
        Key: { pk: { S: 'entry' }, sk: { S: '000000000000003' } },
        UpdateExpression: 'SET purpose = :purpose',
        ExpressionAttributeValues: { ':purpose': { S: 'Nooit gelezen' } },
      }),
    );
    const { code, out } = await verifyScript();
    expect(out).toMatch(/^Chain broken at entry 3 \(hash\): its fields no longer give its hash/m);
    expect(code).toBe(1);
  }, 60_000);
});

describe('the privacy sweep of the audit table', () => {
  it('holds no key in plain text, in the table, in the files on disk or in a handler log line', async () => {
    const keys = [triageKey, ...stack.ready.credentials.keys.map((k) => k.key)];
    const table = JSON.stringify(await stack.scan('meldroute-audit'));
    for (const key of keys) expect(table.includes(key)).toBe(false);
    expect(table).toContain(hashApiKey(triageKey));
    for (const file of filesUnder(join(stack.dataDir, 'dynamodb'))) {
      const content = readFileSync(file).toString('latin1');
      expect(
        keys.filter((k) => content.includes(k)),
        file,
      ).toEqual([]);
    }
    const handlerLines = stack.logs.split('\n').filter((line) => line.startsWith('{'));
    for (const key of keys) expect(handlerLines.filter((line) => line.includes(key))).toEqual([]);
  });

  it('holds none of the personal data a purpose was refused for', async () => {
    const items = await stack.scan('meldroute-audit');
    const content = JSON.stringify(items);
    for (const needle of PERSONAL) expect(content.includes(needle), needle).toBe(false);
    // Only the entries and the head, each with exactly the fields of an entry.
    expect(items.filter((i) => i.pk === 'entry')).toHaveLength(7);
    expect(items.filter((i) => i.pk === 'head')).toEqual([expect.objectContaining({ sequence: 7 })]);
    for (const item of items.filter((i) => i.pk === 'entry')) {
      expect(Object.keys(item).every((name) => /^(pk|sk|at|organisation|keyHash|action|signalId|purpose|previousHash|hash)$/.test(name))).toBe(true);
    }
  });
});
