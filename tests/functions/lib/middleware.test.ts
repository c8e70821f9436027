import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { problem } from '#domain/kernel/index.js';
import type { HttpEvent } from '../../../functions/lib/http.js';
import { problemResponse } from '../../../functions/lib/http.js';
import { logger } from '../../../functions/lib/logger.js';
import { countAccepted } from '../../../functions/lib/metrics.js';
import { httpHandler, instanceOf, isDependencyUnavailable } from '../../../functions/lib/middleware.js';

const context = {
  functionName: 'test',
  awsRequestId: 'lambda-request',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:0:function:test',
  getRemainingTimeInMillis: () => 1000,
} as unknown as Context;
const event = (requestId: string) => ({ requestContext: { requestId, http: { method: 'POST' } }, headers: {} }) as unknown as HttpEvent;

/** What the handler wrote, one JSON document a line: Powertools' log lines (errors on stderr) and EMF metric lines. */
let lines: Record<string, any>[];
const capture = (chunk: string | Uint8Array) => {
  for (const line of String(chunk).split('\n').filter(Boolean)) {
    try {
      lines.push(JSON.parse(line));
    } catch {
      // not ours
    }
  }
  return true;
};
beforeEach(() => {
  lines = [];
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
});
afterEach(() => vi.restoreAllMocks());

const logLines = () => lines.filter((l) => 'message' in l && 'level' in l);
const emfLines = () => lines.filter((l) => l._aws);

describe('httpHandler', () => {
  it("gives every log line of a request and its problem answer the same correlation id: the problem's instance and a header", async () => {
    const handler = httpHandler(async () => {
      logger.info('looking at the request');
      return problemResponse(problem(422, 'validation', 'Ongeldige invoer'));
    });
    const response = await handler(event('req-4711'), context);

    expect(response.headers?.['x-correlation-id']).toBe('req-4711');
    expect(JSON.parse(response.body as string).instance).toBe(instanceOf('req-4711'));
    const logged = logLines().filter((l) => l.message === 'looking at the request');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.correlation_id).toBe('req-4711');
  });

  it('stamps the 500 of an unexpected failure too, and its error log line, and does not mix two requests', async () => {
    const handler = httpHandler(async (e) => {
      if (e.requestContext.requestId === 'req-b') throw new Error('boom');
      logger.info('fine');
      return { statusCode: 204 };
    });
    await handler(event('req-a'), context);
    const failed = await handler(event('req-b'), context);

    expect(failed.statusCode).toBe(500);
    expect(JSON.parse(failed.body as string).instance).toBe(instanceOf('req-b'));
    expect(logLines().find((l) => l.message === 'fine')?.correlation_id).toBe('req-a');
    expect(logLines().find((l) => l.message === 'request failed')?.correlation_id).toBe('req-b');
  });

  it('counts a refusal by its problem type as an EMF metric', async () => {
    const handler = httpHandler(async () => problemResponse(problem(415, 'unsupported-media-type', 'Verkeerd formaat')));
    await handler(event('req-c'), context);
    const refused = emfLines().find((l) => l._aws.CloudWatchMetrics[0].Metrics[0].Name === 'RequestsRefused');
    expect(refused?.reason).toBe('unsupported-media-type');
  });
});

describe('a dependency that does not answer', () => {
  it('is recognised in the shapes the SDK gives it: a time-out, a refused connection, throttling, a 5xx', () => {
    expect(isDependencyUnavailable(Object.assign(new Error('t'), { name: 'TimeoutError' }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('c'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('x'), { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('p'), { name: 'ProvisionedThroughputExceededException' }))).toBe(true);
    expect(isDependencyUnavailable(Object.assign(new Error('s'), { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(isDependencyUnavailable(new TypeError('a bug of ours'))).toBe(false);
    expect(isDependencyUnavailable(Object.assign(new Error('v'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }))).toBe(false);
  });

  it('answers 503 with Retry-After and a problem, where a bug of ours answers 500', async () => {
    const handler = httpHandler(async (e) => {
      if (e.requestContext.requestId === 'req-slow') throw Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
      throw new TypeError('bug');
    });
    const slow = await handler(event('req-slow'), context);
    expect(slow.statusCode).toBe(503);
    expect(slow.headers?.['retry-after']).toBe('5');
    expect(JSON.parse(slow.body as string)).toMatchObject({ status: 503, instance: instanceOf('req-slow') });
    expect((await handler(event('req-bug'), context)).statusCode).toBe(500);
  });
});

describe('business metrics', () => {
  it('are valid CloudWatch EMF: namespace, dimension sets naming present keys, metric definitions with values', () => {
    countAccepted('api', 'politie');
    const emf = emfLines();
    expect(emf.map((l) => l._aws.CloudWatchMetrics[0].Metrics[0].Name)).toEqual(['SignalsAccepted', 'SignalsAcceptedBySourceType']);
    for (const line of emf) {
      expect(typeof line._aws.Timestamp).toBe('number');
      const [directive] = line._aws.CloudWatchMetrics;
      expect(directive.Namespace).toBe('Meldroute');
      for (const set of directive.Dimensions) for (const name of set) expect(typeof line[name]).toBe('string');
      for (const metric of directive.Metrics) {
        expect(metric.Unit).toBe('Count');
        expect(line[metric.Name]).toBe(1);
      }
    }
    expect(emf[0]).toMatchObject({ channel: 'api', service: 'meldroute' });
    expect(emf[1]).toMatchObject({ sourceType: 'politie' });
  });
});
