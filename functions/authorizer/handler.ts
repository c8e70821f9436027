import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { apiKeyFrom, authorize, type AuthorizerContext } from '../lib/authorization.js';
import { apiKeyStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';
import { httpRoutes, routeKeyOf } from '../routes.js';

const keys = apiKeyStore();
const scopeOf = new Map(httpRoutes.map((route) => [routeKeyOf(route), route.scope]));

/**
 * The HTTP API's Lambda authorizer: looks the key up by its hash (cached in memory) and checks the
 * route's scope. The verdict travels to the handler, which answers a refusal as problem+json.
 */
export const handler = eventHandler<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>(
  async (event) => {
    const scope = scopeOf.get(event.routeKey);
    if (!scope) {
      logger.error('authorizer attached to a route without a scope', { routeKey: event.routeKey });
      return { isAuthorized: false, context: { verdict: 'unauthorized' } };
    }
    const context = await authorize(apiKeyFrom(event.headers ?? {}), scope, keys);
    if (context.verdict !== 'allow') logger.info('request refused', { routeKey: event.routeKey, verdict: context.verdict });
    return { isAuthorized: true, context };
  },
);
