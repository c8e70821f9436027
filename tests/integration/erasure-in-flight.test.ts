import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbSignalStore } from '#adapters/dynamodb/signal-store.js';
import type { StoredSignal } from '#domain/signal/index.js';
import { TestStack } from './support/local-stack.js';

/**
 * An erasure that comes while a signal of the person is still on the queue. The consumer is paused; a
 * partner posts a signal of Jan (202), the privacy officer erases Jan (nothing stored yet: erased 0), and a
 * partner posts another signal of Jan after the erasure. When the consumer resumes, both are stored; the
 * retention sweep (every second here) finishes the erasure: it strips the first, in the officer's name,
 * and keeps the second, a new report. The pending erasure it works from holds pseudonyms only.
 */
const JAN = { name: 'Jan Hendrik de Vries', dateOfBirth: '1990-05-01', bsn: '111222333' };
const PLAIN = ['Jan Hendrik de Vries', 'Hendrik', '1990-05-01', '111222333', 'zeven dagen', 'opnieuw gezien'];
const body = (description: string) => ({ observedAt: '2024-03-05', municipality: 'GM0114', form: 'arbeid', subject: JAN, description });

let stack: TestStack;
let signals: DynamoDbSignalStore;
let officer: { key: string; organisation: string };
let inFlight: string;
let afterwards: string;
let erasedAt: string;
let settledCounts: Record<string, unknown>;

const signalIdOf = async (response: Response) => {
  expect(response.status).toBe(202);
  return ((await response.json()) as { signalId: string }).signalId;
};

/** The figures without the times they were made and last changed: what must not move. */
async function counts() {
  const { generatedAt: _g, updatedAt: _u, ...figures } = await stack.statistics('region=noord-nederland&year=2024&cross=municipality,form');
  return figures;
}

async function waitFor<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = await read();
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} never happened`);
}

/** Waits until the aggregator has applied the signal's current version (a change that moves no count is applied too). */
const waitUntilApplied = (signalId: string) =>
  waitFor(`version of ${signalId} applied`, async () => {
    const version = (await signals.get(signalId))?.version;
    const applied = (await stack.scan('meldroute-statistics')).find((item) => item.pk === `applied#${signalId}`);
    return version !== undefined && applied?.version === version ? true : undefined;
  });

beforeAll(async () => {
  stack = await TestStack.start({ env: { LOCAL_RETENTION_SCHEDULE_SECONDS: '1' } });
  signals = new DynamoDbSignalStore(stack.dynamo, 'meldroute-signals');
  const credentials = stack.ready.credentials.keys.find((k) => k.scopes.includes('privacy:erase'))!;
  officer = { key: credentials.key, organisation: credentials.organisation };

  await stack.command('pause-consumer');
  inFlight = await signalIdOf(await stack.post(body('Werkt zeven dagen per week.')));
  const erasure = await fetch(`${stack.ready.apiUrl}/v1/privacy/erasures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${officer.key}` },
    body: JSON.stringify({ person: JAN, reference: 'AVG-2026-031' }),
  });
  expect(erasure.status).toBe(200);
  const answer = (await erasure.json()) as { erased: number; erasedAt: string };
  expect(answer.erased).toBe(0);
  erasedAt = answer.erasedAt;
  afterwards = await signalIdOf(await stack.post(body('Vandaag opnieuw gezien.')));
  await stack.command('resume-consumer');
  await stack.settle();
  settledCounts = await counts();
}, 120_000);
afterAll(() => stack?.stop());

describe('an erasure while a signal of the person is still on the queue', () => {
  it('is finished by the retention sweep: the signal received before the erasure is stripped once it is stored', async () => {
    const stripped = await waitFor('the in-flight signal stripped', async () => {
      const signal = await signals.get(inFlight);
      return signal?.erasedAt ? signal : undefined;
    });
    expect(stripped.subject?.pseudonyms).toEqual({});
    expect(stripped.subject?.matchKeys).toBeUndefined();
    expect(stripped).not.toHaveProperty('description');
    expect(stripped.receivedAt < erasedAt).toBe(true);
    expect(stripped).toMatchObject({ form: 'arbeid', municipality: 'GM0114' });
    await waitUntilApplied(inFlight);
    expect(await counts()).toEqual(settledCounts);
  });

  it('logs the late stripping as an erasure by the privacy officer, with the reference and that the signal was still on its way', async () => {
    const page = await (await fetch(`${stack.ready.apiUrl}/v1/audit?signalId=${inFlight}`, { headers: { authorization: `Bearer ${officer.key}` } })).json();
    // One entry; a second only if the sweep met the signal between two of the consumer's link writes (it then removes the late entry).
    expect(page.entries.length).toBeGreaterThanOrEqual(1);
    expect(page.entries[0]).toEqual(
      expect.objectContaining({
        action: 'erasure',
        signalId: inFlight,
        organisation: officer.organisation,
        purpose: expect.stringMatching(/kenmerk AVG-2026-031; melding was nog onderweg/),
      }),
    );
    expect(page.entries.every((e: { action: string }) => e.action === 'erasure')).toBe(true);
  });

  it('leaves no link entry of the stripped signal, and keeps the signal posted after the erasure whole and linked', async () => {
    const items = await stack.scan('meldroute-links');
    expect(items.filter((item) => item.signalId === inFlight || item.pk === `signal#${inFlight}`)).toEqual([]);
    expect(items.some((item) => item.pk === `signal#${afterwards}`)).toBe(true);
    const kept = (await signals.get(afterwards)) as StoredSignal;
    expect(kept.erasedAt).toBeUndefined();
    expect(Object.keys(kept.subject?.pseudonyms ?? {}).length).toBeGreaterThan(0);
    expect(kept.description).toBeDefined();
    expect(stack.logs).toMatch(/pending erasures/);
  });

  it('keeps the pending erasure as pseudonymised keys only, with its expiry; no plain identifier anywhere in the tables or logs', async () => {
    const items = await stack.scan('meldroute-links');
    const pending = items.filter((item) => item.pk === 'pending-erasure');
    expect(pending).toHaveLength(1);
    const [item] = pending;
    expect(item!.keys.length).toBeGreaterThan(0);
    for (const key of item!.keys) expect(key).toMatch(/^key#local-pseudonym-1#(bsn|nameDateOfBirth)#[a-f0-9]{64}$/);
    expect(item!.expiresAt).toBe(Math.floor(Date.parse(erasedAt) / 1000) + 15 * 86_400);
    for (const table of await stack.tableNames()) {
      const text = JSON.stringify(await stack.scan(table), (_k, v) => (v instanceof Set ? [...v] : v));
      for (const plain of PLAIN) expect(text, `${table}: ${plain}`).not.toContain(plain);
    }
    for (const plain of PLAIN) expect(stack.logs).not.toContain(plain);
  });
});
