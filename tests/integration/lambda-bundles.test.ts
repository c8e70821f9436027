import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileDataKeyProvider } from '#adapters/local/file-key-material.js';
import { FileRawMailStore } from '#adapters/local/file-raw-mail-store.js';
import { type FunctionName, functionEntries, ROUTE_PERMISSIONS_ENV, routePermissions } from '../../functions/routes.js';
import { esbuildOptions } from '../../infra/aws/bundling.js';
import { toS3Event } from '../../infra/local/s3-notifier.js';
import { toSqsEvent } from '../../infra/local/sqs-poller.js';
import { tables } from '../../infra/resources.js';
import { TestStack } from './support/local-stack.js';

/**
 * The minified ESM bundles the CDK app deploys (same esbuild settings, credentials from the
 * environment only), each run in a fresh node process as Lambda would, against the real emulators.
 */
const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'meldroute-bundles-'));
let stack: TestStack;

const bundleOf = (name: FunctionName) => join(outdir, name, 'index.mjs');

async function invokeBundle<R>(name: FunctionName, event: unknown): Promise<R> {
  const script = `
    const { handler } = await import(${JSON.stringify(pathToFileURL(bundleOf(name)).href)});
    const context = { functionName: ${JSON.stringify(name)}, awsRequestId: 'bundle-test', invokedFunctionArn: 'arn:aws:lambda:eu-central-1:000000000000:function:${name}', getRemainingTimeInMillis: () => 10000 };
    process.stdout.write('\\n@@' + JSON.stringify((await handler(JSON.parse(process.env.EVENT), context)) ?? null));`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH,
      // What Lambda's runtime and the stack's configuration give a function; no ~/.aws, no profile.
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: stack.ready.dynamoDbEndpoint,
      AWS_ENDPOINT_URL_SQS: stack.ready.sqsEndpoint,
      HOME: outdir,
      NODE_NO_WARNINGS: '1',
      POWERTOOLS_LOG_LEVEL: 'WARN',
      LOCAL_KEY_DIR: join(stack.dataDir, 'keys'),
      LOCAL_MAIL_DIR: stack.ready.mailDir,
      SIGNAL_QUEUE_URL: stack.ready.queues.signals,
      [ROUTE_PERMISSIONS_ENV]: JSON.stringify(routePermissions()),
      ...Object.fromEntries(Object.values(tables).map((t) => [t.env, t.name])),
      EVENT: JSON.stringify(event),
    },
  });
  return JSON.parse(stdout.slice(stdout.lastIndexOf('\n@@') + 3)) as R;
}

function httpEvent(
  method: string,
  routeKey: string,
  path: string,
  options: { headers?: Record<string, string>; body?: unknown; query?: Record<string, string>; authorizer?: unknown } = {},
) {
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'bundle',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.authorizer !== undefined && { authorizer: { lambda: options.authorizer } }),
    },
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    isBase64Encoded: false,
  };
}

beforeAll(async () => {
  await Promise.all(Object.entries(functionEntries).map(([name, entry]) => build(esbuildOptions(resolve(root, entry), bundleOf(name as FunctionName)))));
  stack = await TestStack.start();
  // The stack's own consumer waits, so that the bundled one is the one that stores.
  await stack.command('pause-consumer');
});
afterAll(() => stack?.stop());

describe('the Lambda bundles against the emulators', () => {
  let verdict: Record<string, string>;
  let signalId = '';

  it('authorizer: allows the partner key for its scope, with its principal, and says unauthorized for a wrong key', async () => {
    const request = (key: string) => ({
      ...httpEvent('POST', 'POST /v1/signals', '/v1/signals', { headers: { authorization: `Bearer ${key}` } }),
      type: 'REQUEST',
      identitySource: [],
    });
    const allowed = await invokeBundle<{ isAuthorized: boolean; context: Record<string, string> }>('authorizer', request(stack.key('signals:write')));
    expect(allowed).toMatchObject({ isAuthorized: true, context: { verdict: 'allow', organisation: 'Lokale testpartner', scopes: 'signals:write' } });
    verdict = allowed.context;
    expect((await invokeBundle<{ context: unknown }>('authorizer', request('mr_local_wrong'))).context).toEqual({ verdict: 'unauthorized' });
  });

  it('signals-intake: accepts a signal (202) and puts it, pseudonymised, on the queue', async () => {
    const body = { observedAt: '2022-06-01', municipality: 'GM0118', form: 'seksueel', subject: { name: 'Bundel Persoon', bsn: '111222333' } };
    const response = await invokeBundle<{ statusCode: number; body: string }>(
      'signals-intake',
      httpEvent('POST', 'POST /v1/signals', '/v1/signals', { body, authorizer: verdict }),
    );
    expect(response.statusCode).toBe(202);
    signalId = JSON.parse(response.body).signalId;
    const [message] = await stack.waitForMessages(stack.ready.queues.signals, 1);
    expect(message!.Body).toContain(signalId);
    expect(message!.Body).not.toContain('Bundel Persoon');
    expect(message!.Body).not.toContain('111222333');
  });

  it('signal-consumer: stores the queued signal and reports no failures', async () => {
    const messages = await stack.waitForMessages(stack.ready.queues.signals, 1);
    const response = await invokeBundle<{ batchItemFailures: unknown[] }>(
      'signal-consumer',
      toSqsEvent(messages, 'arn:aws:sqs:eu-central-1:000000000000:meldroute-signals', 'eu-central-1'),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    for (const m of messages) await stack.sqs.send(new DeleteMessageCommand({ QueueUrl: stack.ready.queues.signals, ReceiptHandle: m.ReceiptHandle }));
    expect((await stack.scan('meldroute-signals')).map((s) => s.signalId)).toContain(signalId);
  });

  it('aggregator: takes the stored signal from a stream record without a failure (the stack counted it already: no change)', async () => {
    await stack.waitForStatistics('region=noord-nederland&year=2022', (s) => s.total === 1);
    const [stored] = (await stack.scan('meldroute-signals')).filter((s) => s.signalId === signalId);
    const record = {
      eventID: '1',
      eventName: 'INSERT',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'eu-central-1',
      dynamodb: { Keys: marshall({ signalId }), NewImage: marshall(stored!), SequenceNumber: '1', SizeBytes: 1, StreamViewType: 'NEW_AND_OLD_IMAGES' },
      eventSourceARN: 'arn:aws:dynamodb:eu-central-1:000000000000:table/meldroute-signals/stream/x',
    };
    expect(await invokeBundle('aggregator', { Records: [record] })).toEqual({ batchItemFailures: [] });
    expect((await stack.statistics('region=noord-nederland&year=2022')).total).toBe(1);
  });

  it('statistics, signal-status, signal-correction, openapi and not-found answer as the contract says', async () => {
    const statisticsVerdict = {
      verdict: 'allow',
      organisation: 'Lokaal dashboard',
      sourceType: 'gemeente',
      region: 'noord-nederland',
      scopes: 'statistics:read',
    };
    const statistics = await invokeBundle<{ statusCode: number; body: string }>(
      'statistics',
      httpEvent('GET', 'GET /v1/statistics', '/v1/statistics', { query: { region: 'noord-nederland', year: '2022' }, authorizer: statisticsVerdict }),
    );
    expect(statistics.statusCode).toBe(200);
    expect(JSON.parse(statistics.body)).toMatchObject({ total: 1, byForm: { seksueel: 1 }, byMunicipality: { GM0118: 1 } });

    const status = await invokeBundle<{ statusCode: number; body: string }>('signal-status', {
      ...httpEvent('GET', 'GET /v1/signals/{signalId}', `/v1/signals/${signalId}`, { authorizer: verdict }),
      pathParameters: { signalId },
    });
    expect(status.statusCode).toBe(200);
    // Version 2: the consumer put the person's standing on the signal after linking it (it names a BSN).
    const { version } = JSON.parse(status.body);
    expect(JSON.parse(status.body)).toMatchObject({ signalId, municipality: 'GM0118', version: expect.any(Number) });

    const corrected = await invokeBundle<{ statusCode: number; body: string }>('signal-correction', {
      ...httpEvent('PATCH', 'PATCH /v1/signals/{signalId}', `/v1/signals/${signalId}`, { body: { form: 'arbeid' }, authorizer: verdict }),
      pathParameters: { signalId },
    });
    expect(JSON.parse(corrected.body)).toMatchObject({ form: 'arbeid', version: version + 1 });
    await stack.waitForStatistics('region=noord-nederland&year=2022', (s) => s.byForm.arbeid === 1 && s.byForm.seksueel === 0);

    const openapi = await invokeBundle<{ statusCode: number; body: string }>('openapi', httpEvent('GET', 'GET /v1/openapi.json', '/v1/openapi.json'));
    expect(JSON.parse(openapi.body).paths['/v1/signals']).toBeDefined();
    const missing = await invokeBundle<{ statusCode: number; headers: Record<string, string> }>('not-found', httpEvent('GET', '$default', '/v2/iets'));
    expect(missing).toMatchObject({ statusCode: 404, headers: { 'content-type': 'application/problem+json' } });
  });

  it('email-intake: makes the stored mail of an S3 event a signal on the queue and deletes the mail', async () => {
    const store = new FileRawMailStore(stack.ready.mailDir, new FileDataKeyProvider(join(stack.dataDir, 'keys', 'envelope-key.json')));
    const object = { bucket: 'meldroute-mail', key: 'inbound/bundeltest', size: 0 };
    const raw = Buffer.from(
      'From: a@b.nl\r\nMessage-ID: <bundel@b.nl>\r\n\r\nGemeente: Meppel\r\nVorm: arbeid\r\nDatum: 1-2-2021\r\nNaam betrokkene: Bundel Mailpersoon\r\n',
    );
    await store.put(object, raw);
    expect(await invokeBundle('email-intake', toS3Event({ ...object, size: raw.byteLength }, 'eu-central-1'))).toBeNull();
    const messages = await stack.waitForMessages(stack.ready.queues.signals, 1);
    const body = messages.map((m) => m.Body).join('');
    expect(body).toContain('"GM0119"');
    expect(body).toContain('"email"');
    expect(body).not.toContain('Mailpersoon');
    expect(await store.get(object)).toBeUndefined();
  });

  it('signals-batch: takes a batch in (207), the valid signals on the queue beside an invalid one', async () => {
    const signals = [
      { externalId: 'BUNDEL-1', observedAt: '2022-06-02', municipality: 'GM0118', form: 'arbeid', subject: { name: 'Bundel Batchpersoon' } },
      { externalId: 'BUNDEL-2', observedAt: '2022-06-03', municipality: 'GM0118', form: 'bestaat-niet' },
    ];
    const response = await invokeBundle<{ statusCode: number; body: string }>(
      'signals-batch',
      httpEvent('POST', 'POST /v1/signals/batch', '/v1/signals/batch', { body: { signals }, authorizer: verdict }),
    );
    expect(response.statusCode).toBe(207);
    const answer = JSON.parse(response.body);
    expect(answer).toMatchObject({ accepted: 1, invalid: 1, results: [{ status: 'accepted' }, { errors: [{ pointer: '/signals/1/form' }] }] });
    // The e-mail intake's signal above is still on the queue beside it.
    const bodies = (await stack.waitForMessages(stack.ready.queues.signals, 2)).map((m) => m.Body).join('');
    expect(bodies).toContain(answer.results[0].signalId);
    expect(bodies).not.toContain('Batchpersoon');
  });
});
