/**
 * The HTTP routes and the event-driven functions, named once: the local runner serves exactly these,
 * the infrastructure deploys exactly these, the handlers take their permission, body limit and schemas
 * from their route, and the OpenAPI document is generated from them. A route with a permission sits
 * behind the authorizer.
 *
 * Each route is its own constant, so that a handler's bundle holds its own route's schemas and no other's
 * (esbuild drops the unused constants; the authorizer gets the route permissions from its environment).
 * Permissions and sizes are written as literals (checked by `satisfies`): esbuild keeps a statement that
 * reads a property (`PERMISSIONS.x`) or computes (`64 * 1024`), as either might have side effects.
 */
import type * as z from 'zod/mini';
import { AuditPageSchema, AuditQuerySchema } from '#domain/casework/index.js';
import { SignalAcceptedSchema } from '#domain/intake/index.js';
import { WebSignalAcceptedSchema, WebSignalSchema } from '#domain/intake/web/index.js';
import type { Permission } from '#domain/partners/index.js';
import { SignalCorrectionSchema, SignalInputSchema, SignalViewSchema } from '#domain/signal/index.js';
import { PublicStatisticsSchema, StatisticsQuerySchema, StatisticsSchema } from '#domain/statistics/index.js';
import { CijfersQuerySchema } from './cijfers-page/query.js';
import { HealthReportSchema } from './health/report.js';

export type MediaType = 'application/json' | 'application/x-www-form-urlencoded';

export interface RouteResponse {
  description: string;
  /** The JSON body's schema and its name among the document's components; none for a non-JSON answer. */
  schema?: z.ZodMiniType;
  component?: string;
  /** Another media type the same status may answer with (the form's HTML pages). */
  alsoAs?: string;
  headers?: readonly string[];
}

export interface HttpRoute {
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  functionName: FunctionName;
  /** The permission a key must hold; null for a public route. */
  permission: Permission | null;
  /** Why a route without a permission is public; said where the route is deployed. */
  publicBecause?: string;
  /** One line for the OpenAPI document, in Dutch. */
  summary: string;
  /** The request body: its schema, the media types it may come as, and the largest accepted in bytes. */
  body?: { schema: z.ZodMiniType; component: string; mediaTypes: readonly MediaType[]; maxBytes: number };
  /** The query string's schema (a strict object of strings). */
  query?: z.ZodMiniType;
  /** The path's parameters (the `{name}`s in `path`) and their formats. */
  pathParameters?: Readonly<Record<string, 'uuid'>>;
  /** Request headers the route reads, beyond the key. */
  headers?: readonly { name: string; maxLength: number }[];
  /** The answers that are not problems. */
  responses: Readonly<Record<number, RouteResponse>>;
  /**
   * Problem statuses particular to this route, with what they mean. Those every route of its kind answers
   * are added where the document is built: 401 and 403 with a permission, 400, 413, 415 and 422 with a body,
   * 422 with a query.
   */
  problems?: Readonly<Record<number, string>>;
}

const signalIdPath = '/v1/signals/{signalId}';

export const signalsIntakeRoute = {
  method: 'POST',
  path: '/v1/signals',
  functionName: 'signals-intake',
  permission: 'signals:write',
  summary: 'Een signaal melden',
  body: { schema: SignalInputSchema, component: 'SignalInput', mediaTypes: ['application/json'], maxBytes: 65_536 },
  headers: [{ name: 'Idempotency-Key', maxLength: 255 }],
  responses: { 202: { description: 'Ontvangen; wordt verwerkt.', schema: SignalAcceptedSchema, component: 'SignalAccepted', headers: ['Location'] } },
  problems: { 409: 'Idempotency-Key of externalId al gebruikt voor een andere melding.' },
} as const satisfies HttpRoute;

export const signalStatusRoute = {
  method: 'GET',
  path: signalIdPath,
  pathParameters: { signalId: 'uuid' },
  functionName: 'signal-status',
  permission: 'signals:write',
  summary: 'Stand van een eigen melding',
  responses: { 200: { description: 'De melding, zonder persoonsgegevens.', schema: SignalViewSchema, component: 'SignalView' } },
  problems: { 404: 'Onbekend, van een andere organisatie, of nog niet verwerkt.' },
} as const satisfies HttpRoute;

export const signalCorrectionRoute = {
  method: 'PATCH',
  path: signalIdPath,
  pathParameters: { signalId: 'uuid' },
  functionName: 'signal-correction',
  permission: 'signals:write',
  summary: 'Classificatie corrigeren of de melding intrekken',
  body: { schema: SignalCorrectionSchema, component: 'SignalCorrection', mediaTypes: ['application/json'], maxBytes: 4_096 },
  responses: { 200: { description: 'Gecorrigeerd; de cijfers schuiven mee.', schema: SignalViewSchema, component: 'SignalView' } },
  problems: { 404: 'Onbekend of van een andere organisatie.', 409: 'Tegelijk gewijzigd.' },
} as const satisfies HttpRoute;

export const statisticsRoute = {
  method: 'GET',
  path: '/v1/statistics',
  functionName: 'statistics',
  permission: 'statistics:read',
  summary: 'Actuele cijfers, exact: per jaar of periode, met kruistabellen, als JSON of CSV',
  query: StatisticsQuerySchema,
  headers: [{ name: 'If-None-Match', maxLength: 1_024 }],
  responses: {
    200: {
      description:
        'De cijfers. Als CSV (Accept: text/csv of format=csv) in UTF-8 met BOM, gescheiden door puntkomma, met kopregel; zonder table alle tabellen onder elkaar (tabel;code;naam;aantal). ETag verandert precies als een aantal verandert.',
      schema: StatisticsSchema,
      component: 'Statistics',
      alsoAs: 'text/csv',
      headers: ['ETag', 'Cache-Control', 'Vary', 'Content-Disposition'],
    },
    304: { description: 'Niet gewijzigd: de aantallen zijn nog die van de ETag in If-None-Match. Zonder inhoud.', headers: ['ETag', 'Cache-Control', 'Vary'] },
  },
  problems: { 406: 'Accept vraagt een formaat dat deze route niet geeft; vraag application/json of text/csv.' },
} as const satisfies HttpRoute;

export const publicStatisticsRoute = {
  method: 'GET',
  path: '/v1/public/statistics',
  functionName: 'public-statistics',
  permission: null,
  publicBecause:
    'The monitor is for anyone: it reads only the latest public release (changed at most daily, after five signals changed), every count perturbed and small ones suppressed (docs/disclosure.md); cached by CloudFront.',
  summary: 'Openbare cijfers, zonder sleutel: de laatste publicatie, kleine aantallen onderdrukt, de rest licht verstoord; als JSON of CSV',
  query: StatisticsQuerySchema,
  headers: [{ name: 'If-None-Match', maxLength: 1_024 }],
  responses: {
    200: {
      description:
        'De cijfers van de laatste publicatie, in de vorm van GET /v1/statistics met null voor een klein aantal (in CSV: <7) en release (Bijgewerkt op, volgende update). Vóór de eerste publicatie: release null en een notice. Dezelfde publicatie geeft altijd hetzelfde antwoord; de ETag verandert alleen met de publicatie of de vraag.',
      schema: PublicStatisticsSchema,
      component: 'PublicStatistics',
      alsoAs: 'text/csv',
      headers: ['ETag', 'Cache-Control', 'Vary', 'Content-Disposition'],
    },
    304: { description: 'Niet gewijzigd: nog dezelfde publicatie als de ETag in If-None-Match. Zonder inhoud.', headers: ['ETag', 'Cache-Control', 'Vary'] },
  },
  problems: {
    406: 'Accept vraagt een formaat dat deze route niet geeft; vraag application/json of text/csv.',
    503: 'Tijdelijk niet beschikbaar; probeer het opnieuw na Retry-After seconden.',
  },
} as const satisfies HttpRoute;

export const openApiRoute = {
  method: 'GET',
  path: '/v1/openapi.json',
  functionName: 'openapi',
  permission: null,
  publicBecause: 'The OpenAPI document is the contract partners read before they have a key.',
  summary: 'Dit contract als OpenAPI 3.1',
  responses: { 200: { description: 'Het OpenAPI-document.' } },
} as const satisfies HttpRoute;

export const webIntakeRoute = {
  method: 'POST',
  path: '/v1/web/signals',
  functionName: 'web-intake',
  permission: null,
  publicBecause: 'The meldformulier is for anyone, residents included; per-address rate limits, a honeypot and a 16 KB body limit guard it.',
  summary: 'Het openbare meldformulier (zonder sleutel); ook als gewoon formulier, met een antwoord in HTML',
  body: { schema: WebSignalSchema, component: 'WebSignal', mediaTypes: ['application/json', 'application/x-www-form-urlencoded'], maxBytes: 16_384 },
  responses: {
    200: { description: 'Ontvangstbevestiging als HTML-pagina (gewoon formulier).', alsoAs: 'text/html' },
    202: { description: 'Ontvangen, met een referentienummer.', schema: WebSignalAcceptedSchema, component: 'WebSignalAccepted' },
  },
  problems: { 429: 'Te veel meldingen vanaf dit adres; zie Retry-After.' },
} as const satisfies HttpRoute;

export const healthRoute = {
  method: 'GET',
  path: '/v1/health',
  functionName: 'health',
  permission: null,
  publicBecause: 'Uptime checks and the local runner ask it without a key; it answers ok or unavailable per dependency, and nothing else.',
  summary: 'Of de API de signalentabel en de wachtrij bereikt (zonder sleutel)',
  responses: {
    200: { description: 'Alles bereikbaar.', schema: HealthReportSchema, component: 'HealthReport' },
    503: { description: 'Iets is niet bereikbaar; checks noemt wat.', schema: HealthReportSchema, component: 'HealthReport' },
  },
} as const satisfies HttpRoute;

export const cijfersPageRoute = {
  method: 'GET',
  path: '/cijfers',
  functionName: 'cijfers-page',
  permission: null,
  publicBecause:
    'The monitor is for anyone: without a key it shows only the public release (small counts suppressed, the rest perturbed); a key holding statistics:read, checked by the handler as the authorizer would, shows the exact figures.',
  summary: 'De monitor: de cijfers als webpagina (HTML), of als JSON voor het script van die pagina',
  query: CijfersQuerySchema,
  headers: [{ name: 'If-None-Match', maxLength: 1_024 }],
  responses: {
    200: {
      description:
        'De pagina (text/html). Met Accept: application/json de cijfers zelf, met ETag: zonder sleutel de openbare cijfers (zoals GET /v1/public/statistics), met een sleutel met statistics:read de exacte (zoals GET /v1/statistics).',
      alsoAs: 'text/html',
      headers: ['ETag', 'Cache-Control', 'Vary'],
    },
    304: { description: 'Niet gewijzigd (alleen bij Accept: application/json met If-None-Match). Zonder inhoud.', headers: ['ETag', 'Cache-Control', 'Vary'] },
  },
  problems: {
    401: 'Een onbekende sleutel (zonder sleutel: de openbare cijfers).',
    403: 'Een sleutel zonder statistics:read.',
    503: 'Nog geen openbare cijfers, of tijdelijk niet beschikbaar.',
  },
} as const satisfies HttpRoute;

export const auditReadRoute = {
  method: 'GET',
  path: '/v1/audit',
  functionName: 'audit-read',
  permission: 'audit:read',
  summary: 'Het auditlogboek: wie welk signaal inzag of behandelde en met welk doel, per signaal of per periode (voor de privacyfunctionaris)',
  query: AuditQuerySchema,
  responses: {
    200: {
      description:
        'Items in volgorde van volgnummer, met next voor de volgende bladzijde (null: de laatste). Van de sleutel alleen de SHA-256, zoals in de partnertabel.',
      schema: AuditPageSchema,
      component: 'AuditPage',
      headers: ['Cache-Control'],
    },
  },
} as const satisfies HttpRoute;

export const httpRoutes: readonly HttpRoute[] = [
  signalsIntakeRoute,
  signalStatusRoute,
  signalCorrectionRoute,
  statisticsRoute,
  publicStatisticsRoute,
  openApiRoute,
  webIntakeRoute,
  healthRoute,
  cijfersPageRoute,
  auditReadRoute,
];

/**
 * The authorizer learns each route's permission from its environment, set from this list by the CDK app and
 * the local runner alike, so that its bundle (on the path of every request) holds none of the routes' schemas.
 */
export const ROUTE_PERMISSIONS_ENV = 'ROUTE_PERMISSIONS';
export const routePermissions = (): Record<string, Permission> =>
  Object.fromEntries(httpRoutes.flatMap((route) => (route.permission ? [[routeKeyOf(route), route.permission]] : [])));

/** Answers every request that matches no route ($default on API Gateway). */
export const defaultRouteFunction = 'not-found' satisfies FunctionName;
export const authorizerFunction = 'authorizer' satisfies FunctionName;

/** The functions event sources invoke: the local pollers and the AWS event source mappings alike. */
export const eventFunctions = {
  signalQueue: 'signal-consumer',
  signalsStream: 'aggregator',
  mailBucket: 'email-intake',
  /** The public releases: an EventBridge schedule on AWS, a timer in the local runner. */
  releaseSchedule: 'release',
} as const satisfies Record<string, FunctionName>;

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
  'public-statistics': 'functions/public-statistics/handler.ts',
  release: 'functions/release/handler.ts',
  openapi: 'functions/openapi/handler.ts',
  'not-found': 'functions/not-found/handler.ts',
  'signal-consumer': 'functions/signal-consumer/handler.ts',
  aggregator: 'functions/aggregator/handler.ts',
  'email-intake': 'functions/email-intake/handler.ts',
  'web-intake': 'functions/web-intake/handler.ts',
  'cijfers-page': 'functions/cijfers-page/handler.ts',
  health: 'functions/health/handler.ts',
  'audit-read': 'functions/audit-read/handler.ts',
} as const;

export type FunctionName = keyof typeof functionEntries;

/** Where a handler's source is, from the project root: for the local runner and the CDK app alike. */
export const entryPath = (root: string, name: FunctionName) => `${root.replace(/\/$/, '')}/${functionEntries[name]}`;
