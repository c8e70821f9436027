import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { checkHealth, type HealthCheck } from '../../../functions/health/checks.js';
import { queueProbe, tableProbe } from '../../../functions/health/probes.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', SIGNAL_QUEUE_URL: 'http://localhost/queue' });
const { healthHandler } = await import('../../../functions/health/handler.js');

const ok: HealthCheck = async () => undefined;
const failing: HealthCheck = async () => {
  throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000 for table meldroute-signals'), { name: 'TimeoutError' });
};
/** Never answers and ignores its abort signal, as a hung connection might. */
const hanging: HealthCheck = () => new Promise(() => undefined);

const event = { rawPath: '/v1/health', headers: {}, requestContext: { http: { method: 'GET' } } } as unknown as APIGatewayProxyEventV2;
const invoke = async (checks: Record<string, HealthCheck>) =>
  (await healthHandler(checks)(event, lambdaContext('health', 'eu-central-1'))) as { statusCode: number; headers: Record<string, string>; body: string };

describe('checkHealth', () => {
  it('is ok when every check answers', async () => {
    expect(await checkHealth({ signalsTable: ok, signalQueue: ok }, 100)).toEqual({ status: 'ok', checks: { signalsTable: 'ok', signalQueue: 'ok' } });
  });

  it('marks the failing check unavailable, and with it the whole, and says which failed', async () => {
    const failures: string[] = [];
    const report = await checkHealth({ signalsTable: failing, signalQueue: ok }, 100, (check) => failures.push(check));
    expect(report).toEqual({ status: 'unavailable', checks: { signalsTable: 'unavailable', signalQueue: 'ok' } });
    expect(failures).toEqual(['signalsTable']);
  });

  it('gives up on a check that does not answer in time, even one that ignores its abort signal', async () => {
    const started = Date.now();
    const report = await checkHealth({ signalsTable: ok, signalQueue: hanging }, 50);
    expect(report.checks).toEqual({ signalsTable: 'ok', signalQueue: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('aborts the signal a late check was handed, so the SDK can drop its request', async () => {
    let seen: AbortSignal | undefined;
    await checkHealth(
      {
        slow: (signal) => {
          seen = signal;
          return new Promise(() => undefined);
        },
      },
      20,
    );
    expect(seen?.aborted).toBe(true);
    expect((seen!.reason as Error).name).toBe('TimeoutError');
  });

  it('runs the checks at once, not one after the other', async () => {
    const slowOk: HealthCheck = () => new Promise((done) => setTimeout(done, 60));
    const started = Date.now();
    expect((await checkHealth({ a: slowOk, b: slowOk, c: slowOk }, 150)).status).toBe('ok');
    expect(Date.now() - started).toBeLessThan(150);
  });
});

describe('GET /v1/health', () => {
  it('answers 200 with the checks, never cached', async () => {
    const response = await invoke({ signalsTable: ok, signalQueue: ok });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(JSON.parse(response.body)).toEqual({ status: 'ok', checks: { signalsTable: 'ok', signalQueue: 'ok' } });
  });

  it("answers 503 naming the unavailable check, without the error's text, host or resource name", async () => {
    const response = await invoke({ signalsTable: failing, signalQueue: ok });
    expect(response.statusCode).toBe(503);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body)).toEqual({ status: 'unavailable', checks: { signalsTable: 'unavailable', signalQueue: 'ok' } });
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|meldroute-signals|Timeout/);
  });
});

describe('probes', () => {
  const client = (answer: unknown) => {
    const send = vi.fn(async (_command: unknown, _options?: { abortSignal?: AbortSignal }) => answer);
    return { send } as unknown as { send: typeof send } & Parameters<typeof tableProbe>[0];
  };

  it('asks DynamoDB to describe the table, handing on the abort signal, and accepts a table that serves', async () => {
    const dynamo = client({ Table: { TableStatus: 'ACTIVE' } });
    const signal = new AbortController().signal;
    await expect(tableProbe(dynamo, 'meldroute-signals')(signal)).resolves.toBeUndefined();
    const [command, options] = dynamo.send.mock.calls[0]!;
    expect((command as { input: unknown }).input).toEqual({ TableName: 'meldroute-signals' });
    expect(options).toEqual({ abortSignal: signal });
    await expect(tableProbe(client({ Table: { TableStatus: 'UPDATING' } }), 't')(signal)).resolves.toBeUndefined();
  });

  it('fails for a table that answers but cannot serve, such as one whose KMS key is disabled', async () => {
    const signal = new AbortController().signal;
    for (const status of ['INACCESSIBLE_ENCRYPTION_CREDENTIALS', 'DELETING', 'ARCHIVED']) {
      await expect(tableProbe(client({ Table: { TableStatus: status } }), 't')(signal), status).rejects.toThrow(status);
    }
  });

  it("asks SQS for the queue's ARN only, handing on the abort signal", async () => {
    const sqs = client({ Attributes: { QueueArn: 'arn' } });
    const signal = new AbortController().signal;
    await queueProbe(sqs as never, 'http://localhost/queue')(signal);
    const [command, options] = sqs.send.mock.calls[0]!;
    expect((command as { input: unknown }).input).toEqual({ QueueUrl: 'http://localhost/queue', AttributeNames: ['QueueArn'] });
    expect(options).toEqual({ abortSignal: signal });
  });
});
