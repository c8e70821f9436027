import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * POST /v1/signals/batch over the real emulators: a batch of 500 counted exactly, the same batch again
 * counted not at all, new and known signals mixed, the limits, and the key.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
}, 60_000);
afterAll(() => stack?.stop());

type BatchAnswer = {
  results: Array<{ index: number; status: string; signalId?: string; errors?: Array<{ pointer: string; detail: string }> }>;
  accepted: number;
  duplicate: number;
  invalid: number;
  failed: number;
};

const postBatch = (signals: unknown[], headers: Record<string, string> = {}) => stack.post({ signals }, headers, '/v1/signals/batch');

const FORMS = ['seksueel', 'arbeid', 'crimineel', 'onbekend'] as const;
const PLACES = ['GM0114', 'GM0106', 'GM0014', 'GM0080', 'GM1680'] as const;
/** The register of 2011 as a partner might send it: 500 signals, spread over months, forms and places. */
const register = Array.from({ length: 500 }, (_, i) => ({
  externalId: `REG-2011-${String(i).padStart(4, '0')}`,
  observedAt: `2011-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
  municipality: PLACES[i % PLACES.length],
  form: FORMS[i % FORMS.length],
  ...(i % 10 === 0 && { subject: { dateOfBirth: '1990-01-01', gender: 'v' }, description: 'Werkt zonder contract.' }),
}));
// Three invalid: an unknown municipality, a BSN that fails the elfproef, and no externalId.
const batch: unknown[] = register.map((signal, i) => {
  if (i === 17) return { ...signal, municipality: 'GM9999' };
  if (i === 250) return { ...signal, subject: { bsn: '123456789' } };
  if (i === 499) return { ...signal, externalId: undefined };
  return signal;
});

let first: BatchAnswer;

describe('POST /v1/signals/batch over the emulators', () => {
  it('takes a batch of 500 with 3 invalid signals in: 497 accepted and counted, 3 reported with pointers', async () => {
    const response = await postBatch(batch);
    expect(response.status).toBe(207);
    first = (await response.json()) as BatchAnswer;
    expect(first).toMatchObject({ accepted: 497, duplicate: 0, invalid: 3, failed: 0 });
    expect(first.results.map((r) => r.index)).toEqual([...Array(500).keys()]);
    const invalid = first.results.filter((r) => r.status === 'invalid');
    expect(invalid.map((r) => [r.index, r.errors!.map((e) => e.pointer)])).toEqual([
      [17, ['/signals/17/municipality']],
      [250, ['/signals/250/subject/bsn']],
      [499, ['/signals/499/externalId']],
    ]);
    expect(new Set(first.results.filter((r) => r.status === 'accepted').map((r) => r.signalId)).size).toBe(497);

    const stats = await stack.waitForStatistics('year=2011', (s) => s.total === 497, 60_000);
    expect(stats.byChannel).toMatchObject({ api: 497 });
    expect(Object.values(stats.byForm as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(497);
  }, 90_000);

  it('counts nothing when the same batch comes again: every valid signal a duplicate under its first id', async () => {
    const response = await postBatch(batch);
    expect(response.status).toBe(207);
    const again = (await response.json()) as BatchAnswer;
    expect(again).toMatchObject({ accepted: 0, duplicate: 497, invalid: 3, failed: 0 });
    expect(again.results.map((r) => r.signalId)).toEqual(first.results.map((r) => r.signalId));
    // The duplicates were sent again; once the consumer and aggregator have seen them all, still 497.
    await stack.settle(60_000);
    expect((await stack.statistics('year=2011')).total).toBe(497);
    expect((await stack.scan('meldroute-signals')).filter((s) => String(s.observedAt).startsWith('2011-'))).toHaveLength(497);
  }, 90_000);

  it('takes the new signals of a batch in beside the known ones, and refuses a known externalId with other content', async () => {
    const known = register.slice(0, 3);
    const fresh = Array.from({ length: 3 }, (_, i) => ({ externalId: `REG-2011-NEW-${i}`, observedAt: '2011-06-01', municipality: 'GM0114', form: 'arbeid' }));
    const changed = { ...register[3]!, form: register[3]!.form === 'arbeid' ? 'seksueel' : 'arbeid' };
    const response = await postBatch([known[0], fresh[0], known[1], fresh[1], changed, fresh[2], known[2]]);
    expect(response.status).toBe(207);
    const mixed = (await response.json()) as BatchAnswer;
    expect(mixed.results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate', 'accepted', 'invalid', 'accepted', 'duplicate']);
    expect([mixed.results[0]!.signalId, mixed.results[2]!.signalId, mixed.results[6]!.signalId]).toEqual(first.results.slice(0, 3).map((r) => r.signalId));
    expect(mixed.results[4]!.errors).toEqual([{ pointer: '/signals/4/externalId', detail: expect.stringMatching(/al gebruikt/) }]);
    await stack.waitForStatistics('year=2011', (s) => s.total === 500, 30_000);
    await stack.settle(30_000);
    expect((await stack.statistics('year=2011')).total).toBe(500);
  }, 60_000);

  it('refuses a batch above the limits with a 413 that says the limit: more than 5500 KB, or more than 500 signals', async () => {
    // 300 signals with a description of 10 000 two-byte characters: 6 MB, over the route's limit, under the gateway's.
    const heavy = Array.from({ length: 300 }, (_, i) => ({ ...register[i], externalId: `HEAVY-${i}`, description: 'ë'.repeat(10_000) }));
    const tooLarge = await postBatch(heavy);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('content-type')).toBe('application/problem+json');
    expect(await tooLarge.json()).toMatchObject({
      title: 'Batch te groot',
      detail: 'Een batch is hoogstens 5500 KB, genoeg voor 500 signalen met een lange beschrijving. Verdeel de signalen over meer batches.',
    });

    const tooMany = await postBatch([...register, { ...register[0], externalId: 'REG-2011-0500' }]);
    expect(tooMany.status).toBe(413);
    expect(await tooMany.json()).toMatchObject({
      title: 'Te veel signalen',
      detail: 'Een batch bevat hoogstens 500 signalen; deze bevat er 501. Verdeel de signalen over meer batches.',
    });
    await stack.settle(30_000);
    expect((await stack.statistics('year=2011')).total).toBe(500);
  }, 60_000);

  it('answers 401 without a key or with an unknown one, and 403 for a key without signals:write', async () => {
    for (const authorization of ['', 'Bearer mr_local_doesnotexist']) {
      const response = await postBatch([register[0]], { authorization });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
    const forbidden = await postBatch([register[0]], { authorization: `Bearer ${stack.key('statistics:read')}` });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ status: 403, detail: 'Deze sleutel heeft niet het recht signals:write.' });
  });
});
