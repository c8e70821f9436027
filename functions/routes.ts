/**
 * The HTTP routes and the event-driven functions, named once: the local runner serves exactly these,
 * and the infrastructure deploys exactly these. A route with a scope sits behind the authorizer.
 */
import { PERMISSIONS, type Permission } from '#domain/partners/index.js';


export interface HttpRoute {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  functionName: FunctionName;
  scope: Permission | null;
  /** Why a route without a scope is public; said where the route is deployed. */
  publicBecause?: string;
}

export const httpRoutes: readonly HttpRoute[] = [
  { method: 'POST', path: '/v1/signals', functionName: 'signals-intake', scope: PERMISSIONS.signalsWrite },
  { method: 'GET', path: '/v1/signals/{signalId}', functionName: 'signal-status', scope: PERMISSIONS.signalsWrite },
  { method: 'PATCH', path: '/v1/signals/{signalId}', functionName: 'signal-correction', scope: PERMISSIONS.signalsWrite },
  { method: 'GET', path: '/v1/statistics', functionName: 'statistics', scope: PERMISSIONS.statisticsRead },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    functionName: 'openapi',
    scope: null,
    publicBecause: 'The OpenAPI document is the contract partners read before they have a key.',
  },
  {
    method: 'POST',
    path: '/v1/web/signals',
    functionName: 'web-intake',
    scope: null,
    publicBecause: 'The meldformulier is for anyone, residents included; per-address rate limits, a honeypot and a 16 KB body limit guard it.',
  },
];

/** Answers every request that matches no route ($default on API Gateway). */
export const defaultRouteFunction = 'not-found' satisfies FunctionName;
export const authorizerFunction = 'authorizer' satisfies FunctionName;

/** The functions event sources invoke: the local pollers and the AWS event source mappings alike. */
export const eventFunctions = { signalQueue: 'signal-consumer', signalsStream: 'aggregator', mailBucket: 'email-intake' } as const satisfies Record<string, FunctionName>;

/** Every function the local runner invokes; the CDK app must deploy exactly these. */
export function locallyInvokedFunctions(): FunctionName[] {
  return [...new Set<FunctionName>([authorizerFunction, defaultRouteFunction, ...httpRoutes.map((r) => r.functionName), ...Object.values(eventFunctions)])];
}

export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

export const functionEntries = {
  authorizer: 'functions/authorizer/handler.ts',
  'signals-intake': 'functions/signals-intake/handler.ts',
  'signal-status': 'functions/signal-status/handler.ts',
  'signal-correction': 'functions/signal-correction/handler.ts',
  statistics: 'functions/statistics/handler.ts',
  openapi: 'functions/openapi/handler.ts',
  'not-found': 'functions/not-found/handler.ts',
  'signal-consumer': 'functions/signal-consumer/handler.ts',
  aggregator: 'functions/aggregator/handler.ts',
  'email-intake': 'functions/email-intake/handler.ts',
  'web-intake': 'functions/web-intake/handler.ts',
} as const;

export type FunctionName = keyof typeof functionEntries;

/** Where a handler's source is, from the project root: for the local runner and the CDK app alike. */
export const entryPath = (root: string, name: FunctionName) => `${root.replace(/\/$/, '')}/${functionEntries[name]}`;
