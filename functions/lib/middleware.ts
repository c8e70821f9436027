import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Principal } from '#domain/partners/index.js';
import { principalFrom } from './authorization.js';
import type { HttpEvent, HttpResult } from './http.js';
import { problemResponse, serverError } from './http.js';
import { logger } from './logger.js';

/** An unexpected failure answers a problem+json 500 and is logged by name and message only. */
const problemOnError = (): MiddlewareObj<HttpEvent, HttpResult> => ({
  onError: async (request) => {
    const error = request.error as Error;
    logger.error('request failed', { errorName: error?.name, errorMessage: error?.message });
    request.response = serverError();
  },
});

export function httpHandler(handler: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy(handler).use(injectLambdaContext(logger, { resetKeys: true })).use(problemOnError());
}

/** An HTTP handler behind the authorizer with the given scope; it receives the key's principal. */
export function authenticatedHandler(scope: string, handler: (event: HttpEvent, principal: Principal) => Promise<HttpResult>) {
  return httpHandler(async (event) => {
    const authorizer = (event.requestContext as { authorizer?: { lambda?: unknown } }).authorizer;
    const auth = principalFrom(authorizer?.lambda, scope);
    if ('problem' in auth) return problemResponse(auth.problem, auth.headers);
    return handler(event, auth.principal);
  });
}

export function eventHandler<E, R>(handler: (event: E, context: Context) => Promise<R>) {
  return middy(handler).use(injectLambdaContext(logger, { resetKeys: true }));
}
