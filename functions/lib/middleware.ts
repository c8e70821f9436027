import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { type Problem, problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { HttpRoute } from '../routes.js';
import { principalFrom } from './authorization.js';
import type { HttpEvent, HttpResult } from './http.js';
import { problemResponse, serverError } from './http.js';
import { logger } from './logger.js';
import { countMetric } from './metrics.js';

/**
 * A dependency (DynamoDB, SQS, KMS) that did not answer in time, refused the connection, throttled or
 * failed on its side: the request may be tried again shortly, and nothing was promised.
 */
export function isDependencyUnavailable(error: unknown): boolean {
  const e = (error ?? {}) as { name?: string; code?: string; $retryable?: unknown; $metadata?: { httpStatusCode?: number }; cause?: unknown };
  if (['TimeoutError', 'RequestTimeout', 'AbortError'].includes(e.name ?? '')) return true;
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN'].includes(e.code ?? '')) return true;
  if (e.$retryable || (e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  if (/Throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|ServiceUnavailable|InternalServerError/.test(e.name ?? '')) return true;
  return e.cause !== undefined && e.cause !== error && isDependencyUnavailable(e.cause);
}

/** Seconds a client waits before it tries again when a dependency is unavailable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * An unexpected failure answers a problem+json 500 and is logged by name and message only; a dependency
 * that is unavailable answers 503 with Retry-After.
 */
const problemOnError = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    const error = request.error as Error;
    if (isDependencyUnavailable(error)) {
      logger.warn('dependency unavailable', { errorName: error?.name });
      request.response = problemResponse(
        problem(503, 'unavailable', 'Tijdelijk niet beschikbaar', `Probeer het over ${RETRY_AFTER_SECONDS} seconden opnieuw.`),
        { 'retry-after': String(RETRY_AFTER_SECONDS) },
      );
      return;
    }
    logger.error('request failed', { errorName: error?.name, errorMessage: error?.message });
    request.response = serverError();
  },
});

/** The problem's `instance`: where an operator finds this request's log lines (their `correlation_id`). */
export const instanceOf = (correlationId: string) => `urn:meldroute:request:${correlationId}`;

/**
 * Every log line of a request carries its correlation id (API Gateway's request id); the answer returns it
 * as `X-Correlation-Id`, and a problem as its `instance`. A refusal is counted by its problem type.
 */
const correlated = (): MiddlewareObj<HttpEvent, HttpResult, Error, Context> => {
  const stamp = async (request: { response: HttpResult | null | undefined }) => {
    const id = logger.getCorrelationId();
    const response = request.response;
    if (typeof id !== 'string' || !response) return;
    response.headers = { ...response.headers, 'x-correlation-id': id };
    if (String(response.headers['content-type']).startsWith('application/problem+json') && typeof response.body === 'string') {
      const body = JSON.parse(response.body) as Problem;
      response.body = JSON.stringify({ ...body, instance: body.instance ?? instanceOf(id) });
      if (body.status < 500) countMetric('RequestsRefused', body.type.slice(body.type.lastIndexOf('/') + 1));
    }
  };
  return {
    before: async (request) => logger.setCorrelationId(request.event.requestContext?.requestId ?? request.context.awsRequestId),
    after: stamp,
    onError: stamp,
  };
};

export function httpHandler(handler: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  // middy runs onError in reverse order: problemOnError answers first, then correlated stamps the answer.
  return middy(handler)
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(correlated())
    .use(problemOnError());
}

/** An HTTP handler behind the authorizer, for its route's permission; it receives the key's principal. */
export function authenticatedHandler(route: Pick<HttpRoute, 'permission'>, handler: (event: HttpEvent, principal: Principal) => Promise<HttpResult>) {
  const permission = route.permission;
  if (!permission) throw new Error('authenticatedHandler serves a route with a permission');
  return httpHandler(async (event) => {
    const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown } }).authorizer;
    const auth = principalFrom(authorizer?.lambda, permission);
    if ('problem' in auth) return problemResponse(auth.problem, auth.headers);
    return handler(event, auth.principal);
  });
}

export function eventHandler<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(injectLambdaContext(logger, { resetKeys: true }));
}
