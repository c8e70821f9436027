import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbLinkIndex } from '#adapters/dynamodb/link-index.js';
import { type LinkingPorts, repeatInfo, unlink } from '#domain/linking/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * Repeat signals over the emulators: the same person by BSN through the API, by e-mail template from
 * another organisation, and again after a rotation of the pseudonymisation key; read back as the triage
 * table will read it, from the links table.
 */
const root = resolve(import.meta.dirname, '../..');
const BSN = '111222333';
const PHONE = ['06 98765432', '0698765432', '+31698765432', '698765432'];
const PSEUDONYMISED_KEY = /^key#local-pseudonym-\d+#(bsn|nameDateOfBirth|phone|email)#[a-f0-9]{64}$/;

let stack: TestStack;
let ports: LinkingPorts;
const connect = () => {
  ports = { links: new DynamoDbLinkIndex(stack.dynamo, 'meldroute-links') };
};
beforeAll(async () => {
  stack = await TestStack.start({ inMemory: false });
  connect();
  await stack.addMailSender('assen.nl', { organisation: 'Gemeente Assen', sourceType: 'gemeente', province: 'DR' });
});
afterAll(() => stack?.stop());

const viaApi = async (observedAt: string) => {
  const response = await stack.post({ observedAt, municipality: 'GM0114', form: 'arbeid', subject: { bsn: BSN } });
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
};
const linkItems = () => stack.scan('meldroute-links');
const keysHolding = async (signalId: string) =>
  (await linkItems())
    .filter((item) => item.signalId === signalId && String(item.pk).startsWith('key#'))
    .map((item) => String(item.pk))
    .sort();

let byApi: string;
let byMail: string;

describe('linking the same person across channels, organisations and a key rotation', () => {
  it('links a signal by e-mail from another organisation to the one posted through the API', async () => {
    byApi = await viaApi('2024-03-05');
    // Linked before the mail arrives, as two signals days apart would be.
    await stack.settle();
    const { response } = await stack.sendMail({
      from: '"Anna Jansen" <a.jansen@assen.nl>',
      subject: 'Signaal',
      text: ['Gemeente: Assen', 'Vorm van uitbuiting: arbeidsuitbuiting', 'Datum: 10-06-2024', `BSN: ${BSN}`, `Telefoon: ${PHONE[0]}`].join('\n'),
    });
    expect(response).toMatch(/^250 /);
    // Stored, linked and its standing noted (the consumer's last step): then counted.
    const mailedAndLinked = async () => (await stack.scan('meldroute-signals')).find((s) => s.channel === 'email' && s.person);
    for (let i = 0; i < 60 && !(await mailedAndLinked()); i++) await new Promise((done) => setTimeout(done, 250));
    await stack.settle();
    const mailed = (await stack.scan('meldroute-signals')).find((s) => s.channel === 'email');
    expect(mailed).toMatchObject({ organisation: 'Gemeente Assen', observedAt: '2024-06-10' });
    byMail = mailed!.signalId;

    expect(await repeatInfo(byMail, ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
    expect(await repeatInfo(byApi, ports)).toEqual({ earlierSignals: 0, organisations: 0, complete: true });
    // Both under the same BSN key, the mail also under the phone's.
    const [bsnKey] = await keysHolding(byApi);
    expect(bsnKey).toMatch(/^key#local-pseudonym-1#bsn#[a-f0-9]{64}$/);
    const mailKeys = await keysHolding(byMail);
    expect(mailKeys).toHaveLength(2);
    expect(mailKeys).toContain(bsnKey);
    expect(mailKeys.find((k) => k !== bsnKey)).toMatch(/^key#local-pseudonym-1#phone#[a-f0-9]{64}$/);
  });

  it('counts the two signals as one person in GET /v1/statistics, the later one as signalled before', async () => {
    const counted = (s: Record<string, any>) => s.total === 2 && s.byPerson.onbekend === 0;
    const stats = await stack.waitForStatistics('year=2024', counted);
    expect(stats).toMatchObject({ total: 2, persons: 1, bySignalledBefore: { ja: 1, nee: 1, onbekend: 0 } });
    expect(stats.byPerson).toEqual({ nieuw: 1, 'eerder-dit-jaar': 1, onbekend: 0 });
    const stored = await stack.scan('meldroute-signals');
    expect(stored.find((s) => s.signalId === byMail)?.person).toEqual({ signalledBefore: true, earlierInYear: true });
    expect(stack.logs).toContain('person standing noted');
  });

  it('links the same person posted after `npm run keys -- rotate-pseudonym-key` and a restart to both', async () => {
    const { dataDir } = stack;
    await stack.stop({ keepData: true });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'infra/partner-keys.ts', 'rotate-pseudonym-key', '--data-dir', dataDir],
      { cwd: root },
    );
    expect(stdout).toMatch(/local-pseudonym-1 rotated to local-pseudonym-2/);
    stack = await TestStack.start({ inMemory: false, dataDir });
    connect();

    const after = await viaApi('2024-09-01');
    await stack.settle();
    const stored = (await stack.scan('meldroute-signals')).find((s) => s.signalId === after);
    expect(stored?.subject.keyId).toBe('local-pseudonym-2');
    expect(stored?.subject.matchKeys).toEqual([{ keyId: 'local-pseudonym-1', kind: 'bsn', pseudonym: expect.stringMatching(/^[a-f0-9]{64}$/) }]);

    expect(await repeatInfo(after, ports)).toEqual({ earlierSignals: 2, organisations: 2, since: '2024-03', complete: true });
    const keys = await keysHolding(after);
    expect(keys.map((k) => k.split('#').slice(1, 3).join('#'))).toEqual(['local-pseudonym-1#bsn', 'local-pseudonym-2#bsn']);
    expect(keys).toContain((await keysHolding(byApi))[0]);

    // Erasure's part: the mailed signal out of the index, the other two still linked.
    expect(await unlink(byMail, ports)).toEqual({ keys: 2 });
    expect((await linkItems()).filter((item) => JSON.stringify(item).includes(byMail))).toEqual([]);
    expect(await repeatInfo(after, ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
  });

  it('keeps the links table to pseudonyms, ids, organisations and dates, without an expiry: the retention sweep unlinks', async () => {
    const items = await linkItems();
    const signals = await stack.scan('meldroute-signals');
    for (const item of items) {
      if (String(item.pk).startsWith('key#')) {
        expect(item.pk).toMatch(PSEUDONYMISED_KEY);
        expect(item.expiresAt).toBeUndefined();
        expect(signals.find((s) => s.signalId === item.signalId)).not.toHaveProperty('expiresAt');
      } else {
        expect(item.pk).toMatch(/^signal#[0-9a-f-]{36}$/);
        for (const key of item.keys) expect(key).toMatch(PSEUDONYMISED_KEY);
      }
    }
    const text = JSON.stringify(items, (_k, v) => (v instanceof Set ? [...v] : v));
    for (const plain of [BSN, ...PHONE, 'Anna Jansen', 'a.jansen@assen.nl']) expect(text).not.toContain(plain);
    expect(stack.logs).toContain('signal linked');
  });
});
