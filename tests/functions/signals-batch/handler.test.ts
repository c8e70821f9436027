import { describe, expect, it } from 'vitest';
import type { BatchIntakePorts } from '#domain/intake/index.js';
import { BatchSignalInputSchema } from '#domain/intake/index.js';
import type { SignalRecord } from '#domain/signal/index.js';
import { signalsBatchRoute } from '../../../functions/routes.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../support/in-memory-ports.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';
import { largestRealisticSignal } from './largest-signal.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({
  SIGNAL_QUEUE_URL: 'http://localhost/queue',
  INTAKE_CLAIMS_TABLE: 'claims',
  PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:pseudonym',
  ENVELOPE_KEY_ARN: 'arn:aws:kms:eu-central-1:000000000000:key/envelope',
});
const { signalsBatchHandler } = await import('../../../functions/signals-batch/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const partner = { verdict: 'allow', organisation: 'Gemeente Emmen', sourceType: 'gemeente', region: 'noord-nederland', scopes: 'signals:write' };
const event = (body: string, verdict: object = partner, contentType = 'application/json') =>
  apiEvent({ method: 'POST', path: '/v1/signals/batch', headers: { 'content-type': contentType }, body, verdict });

function ports(queue = new MemoryQueue()): BatchIntakePorts {
  return { queue, claims: new MemoryClaims(), dataKeys: new MemoryDataKeys(), pseudonymKeys: { current: async () => testKey } };
}
const post = async (body: unknown, options: { verdict?: object; contentType?: string; queue?: MemoryQueue } = {}) =>
  (await signalsBatchHandler(ports(options.queue))(
    event(typeof body === 'string' ? body : JSON.stringify(body), options.verdict, options.contentType),
    lambdaContext('signals-batch', 'eu-central-1'),
  )) as Answer;
const json = (answer: Answer) => JSON.parse(answer.body!);

const signal = (externalId: string, extra: object = {}) => ({ externalId, observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid', ...extra });

/** A queue on which nothing lands: SendMessageBatch reporting every entry failed. */
class RefusingQueue extends MemoryQueue {
  constructor(private readonly refuse: (record: SignalRecord) => boolean) {
    super();
  }
  override async sendBatch(records: readonly SignalRecord[]) {
    return records.map((record) => !this.refuse(record));
  }
}

describe('POST /v1/signals/batch', () => {
  it('answers 207 with a result per signal and the number of each status', async () => {
    const answer = await post({ signals: [signal('A-1'), signal('A-2', { municipality: 'GM0000' }), signal('A-1')] });
    expect(answer.statusCode).toBe(207);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'r-1' });
    expect(answer.headers).not.toHaveProperty('retry-after');
    const body = json(answer);
    expect(body).toEqual({
      results: [
        { index: 0, status: 'accepted', signalId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
        { index: 1, status: 'invalid', errors: [{ pointer: '/signals/1/municipality', detail: expect.any(String) }] },
        { index: 2, status: 'duplicate', signalId: body.results[0].signalId },
      ],
      accepted: 1,
      duplicate: 1,
      invalid: 1,
      failed: 0,
    });
  });

  it('answers 207 when every signal is invalid: the results say why, per signal', async () => {
    const answer = await post({ signals: [{}, 'x'] });
    expect(answer.statusCode).toBe(207);
    expect(json(answer)).toMatchObject({ accepted: 0, invalid: 2 });
  });

  it('refuses a body that is no batch with a 422 naming the pointer, and malformed JSON with a 400', async () => {
    for (const [body, pointer] of [
      [{}, '/signals'],
      [{ signals: [] }, '/signals'],
      [{ signals: 'alles' }, '/signals'],
      [[signal('x')], '/'],
      [{ signals: [signal('x')], extra: 1 }, '/extra'],
    ] as const) {
      const answer = await post(body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(422);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      expect(json(answer).errors.map((e: { pointer: string }) => e.pointer)).toEqual([pointer]);
    }
    expect((await post('{"signals": [')).statusCode).toBe(400);
    expect((await post({ signals: [signal('x')] }, { contentType: 'text/csv' })).statusCode).toBe(415);
  });

  it('refuses more than 500 signals with a 413 that says the limit and how many were sent', async () => {
    const answer = await post({ signals: Array.from({ length: 501 }, (_, i) => signal(`M-${i}`)) });
    expect(answer.statusCode).toBe(413);
    expect(json(answer)).toMatchObject({
      title: 'Te veel signalen',
      detail: 'Een batch bevat hoogstens 500 signalen; deze bevat er 501. Verdeel de signalen over meer batches.',
      errors: [{ pointer: '/signals' }],
    });
  });

  it('refuses a body over the limit with a 413 that says the limit in Dutch', async () => {
    const answer = await post(`{"signals":["${'x'.repeat(signalsBatchRoute.body.maxBytes)}"]}`);
    expect(answer.statusCode).toBe(413);
    expect(json(answer)).toMatchObject({
      type: 'tag:meldroute.nl,2026:problem/payload-too-large',
      title: 'Batch te groot',
      detail: 'Een batch is hoogstens 5500 KB, genoeg voor 500 signalen met een lange beschrijving. Verdeel de signalen over meer batches.',
    });
  });

  it('answers 401 without a key and 403 for a key without signals:write, as the single route does', async () => {
    expect((await post({ signals: [signal('x')] }, { verdict: { verdict: 'unauthorized' } })).statusCode).toBe(401);
    const forbidden = await post({ signals: [signal('x')] }, { verdict: { ...partner, scopes: 'statistics:read' } });
    expect(forbidden.statusCode).toBe(403);
    expect(json(forbidden).detail).toBe('Deze sleutel heeft niet het recht signals:write.');
  });

  it('reports signals that did not get on the queue as failed, with Retry-After, beside those that did', async () => {
    const answer = await post({ signals: [signal('F-1'), signal('F-2', { form: 'seksueel' })] }, { queue: new RefusingQueue((r) => r.form === 'seksueel') });
    expect(answer.statusCode).toBe(207);
    expect(answer.headers['retry-after']).toBe('5');
    expect(json(answer)).toMatchObject({
      accepted: 1,
      failed: 1,
      results: [{ status: 'accepted' }, { status: 'failed', errors: [{ pointer: '/signals/1' }] }],
    });
  });

  it('answers 503 with Retry-After when no signal got on the queue: a 207 would promise nothing', async () => {
    const answer = await post({ signals: [signal('G-1'), {}] }, { queue: new RefusingQueue(() => true) });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('5');
    expect(json(answer)).toMatchObject({ status: 503, type: 'tag:meldroute.nl,2026:problem/unavailable' });
  });
});

describe('the body limit of the batch route', () => {
  const LAMBDA_REQUEST_LIMIT = 6_291_456;
  const largest = largestRealisticSignal('REGISTER-DRENTHE-2019-');
  const body = JSON.stringify({ signals: Array.from({ length: 500 }, () => largest) });

  it('holds 500 of the largest realistic signal (every field, a description of 10 000 characters)', () => {
    expect(BatchSignalInputSchema.safeParse(largest).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(largest))).toBeGreaterThan(10_000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(signalsBatchRoute.body.maxBytes);
  });

  it('stays inside the 6 MB request Lambda takes, a full body escaped in the event with its headers', () => {
    const full = `{"signals":[${`"${'x'.repeat(99)}",`.repeat((signalsBatchRoute.body.maxBytes - 20) / 102)}"x"]}`;
    expect(Buffer.byteLength(full)).toBeLessThanOrEqual(signalsBatchRoute.body.maxBytes);
    // Every quote of the body doubles in the event: a body of realistic signals, and one of short strings.
    for (const sent of [body, full]) {
      const invocation = JSON.stringify(event(sent));
      expect(Buffer.byteLength(invocation) + 8_192).toBeLessThan(LAMBDA_REQUEST_LIMIT);
    }
  });
});
