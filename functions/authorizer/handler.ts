import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { type AuthorizerContext, apiKeyFrom, authorize } from '../lib/authorization.js';
import { apiKeyStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';
import { ROUTE_PERMISSIONS_ENV } from '../routes.js';

const keys = apiKeyStore();
const permissionOf = new Map(Object.entries(JSON.parse(process.env[ROUTE_PERMISSIONS_ENV] ?? '{}') as Record<string, string>));

/**
 * The HTTP API's Lambda authorizer: looks the key up by its hash (cached in memory) and checks the
 * route's permission (given in its environment: see routePermissions). The verdict travels to the
 * handler, which answers a refusal as problem+json.
 */
export const handler = eventHandler<APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>>(async (event) => {
  const permission = permissionOf.get(event.routeKey);
  if (!permission) {
    logger.error('authorizer attached to a route without a permission', { routeKey: event.routeKey });
    return { isAuthorized: false, context: { verdict: 'unauthorized' } };
  }
  const context = await authorize(apiKeyFrom(event.headers ?? {}), permission, keys);
  if (context.verdict !== 'allow') logger.info('request refused', { routeKey: event.routeKey, verdict: context.verdict });
  return { isAuthorized: true, context };
});
