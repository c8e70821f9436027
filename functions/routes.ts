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
import { ErasureRequestSchema, ErasureResultSchema } from '#domain/casework/erasure/index.js';
import {
  AuditPageSchema,
  AuditQuerySchema,
  DecisionInputSchema,
  DecisionViewSchema,
  DescriptionQuerySchema,
  NoteQuerySchema,
  TriageDescriptionSchema,
  TriageEnrichmentSchema,
  TriageNoteSchema,
  TriageSignalDetailSchema,
  TriageSignalQuerySchema,
  WorklistPageSchema,
  WorklistQuerySchema,
} from '#domain/casework/index.js';
import { SignalAcceptedSchema, SignalBatchResultSchema, SignalBatchSchema } from '#domain/intake/index.js';
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
const triageSignalPath = '/v1/triage/signals/{signalId}';

// What several routes say alike, written once so that it stays alike (plain literals: see above).
const ifNoneMatch = [{ name: 'If-None-Match', maxLength: 1_024 }] as const;
const ifMatch = { name: 'If-Match', maxLength: 1_024 } as const;
const idempotencyKey = { name: 'Idempotency-Key', maxLength: 255 } as const;
/** The headers of an answer a client may keep and ask again with If-None-Match. */
const cachedHeaders = ['ETag', 'Cache-Control', 'Vary'] as const;
const downloadHeaders = ['ETag', 'Cache-Control', 'Vary', 'Content-Disposition'] as const;
const notAcceptable = 'Accept vraagt een formaat dat deze route niet geeft; vraag application/json of text/csv.';
const notInArea = 'Onbekend, buiten het gebied van de sleutel, of nog niet verwerkt.';
const versionMoved = 'If-Match noemt niet de huidige versie: de melding is intussen gewijzigd.';
const readNotAudited = 'De inzage kon niet in het auditlogboek worden vastgelegd; er is niets ontsleuteld. Probeer het opnieuw.';

export const signalsIntakeRoute = {
  method: 'POST',
  path: '/v1/signals',
  functionName: 'signals-intake',
  permission: 'signals:write',
  summary: 'Een signaal melden',
  body: { schema: SignalInputSchema, component: 'SignalInput', mediaTypes: ['application/json'], maxBytes: 65_536 },
  headers: [idempotencyKey],
  responses: { 202: { description: 'Ontvangen; wordt verwerkt.', schema: SignalAcceptedSchema, component: 'SignalAccepted', headers: ['Location'] } },
  problems: { 409: 'Idempotency-Key of externalId al gebruikt voor een andere melding.' },
} as const satisfies HttpRoute;

export const signalsBatchRoute = {
  method: 'POST',
  path: '/v1/signals/batch',
  functionName: 'signals-batch',
  permission: 'signals:write',
  summary:
    'Tot 500 signalen in één verzoek melden (samen hoogstens 5500 KB: 500 signalen met een lange beschrijving), elk met een eigen externalId; per signaal een resultaat',
  // 5500 KB: the largest realistic signal (all fields, a description of 10 000 characters) is 10.7 KB, so
  // 500 of them fit, and the body stays well inside Lambda's 6 MB request (tests/functions/signals-batch).
  body: { schema: SignalBatchSchema, component: 'SignalBatch', mediaTypes: ['application/json'], maxBytes: 5_632_000 },
  responses: {
    207: {
      description:
        'Per signaal (index in de lijst) een status: accepted (nieuw, ontvangen), duplicate (deze externalId met dezelfde inhoud al eerder ontvangen, of eerder in deze batch; telt één keer), invalid (errors met JSON-pointers in de batch, zoals bij één melding; ook een externalId die al voor een ander signaal is gebruikt) of failed (nu niet verwerkt; stuur opnieuw). Geldige signalen worden ontvangen, ook als andere ongeldig zijn. Dezelfde batch opnieuw telt niets dubbel.',
      schema: SignalBatchResultSchema,
      component: 'SignalBatchResult',
    },
  },
  problems: {
    503: 'Geen enkel signaal kon worden verwerkt; stuur de batch na Retry-After seconden opnieuw: niets telt dubbel.',
  },
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
  problems: {
    404: 'Onbekend of van een andere organisatie.',
    409: 'De status kan van daaruit niet naar deze status (een besproken of afgesloten melding wijzigt alleen de tafel), of tegelijk gewijzigd.',
  },
} as const satisfies HttpRoute;

export const statisticsRoute = {
  method: 'GET',
  path: '/v1/statistics',
  functionName: 'statistics',
  permission: 'statistics:read',
  summary: 'Actuele cijfers, exact: per jaar of periode, met kruistabellen, als JSON of CSV',
  query: StatisticsQuerySchema,
  headers: ifNoneMatch,
  responses: {
    200: {
      description:
        'De cijfers. Als CSV (Accept: text/csv of format=csv) in UTF-8 met BOM, gescheiden door puntkomma, met kopregel; zonder table alle tabellen onder elkaar (tabel;code;naam;aantal). ETag verandert precies als een aantal verandert.',
      schema: StatisticsSchema,
      component: 'Statistics',
      alsoAs: 'text/csv',
      headers: downloadHeaders,
    },
    304: { description: 'Niet gewijzigd: de aantallen zijn nog die van de ETag in If-None-Match. Zonder inhoud.', headers: cachedHeaders },
  },
  problems: { 406: notAcceptable },
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
  headers: ifNoneMatch,
  responses: {
    200: {
      description:
        'De cijfers van de laatste publicatie, in de vorm van GET /v1/statistics met null voor een klein aantal (in CSV: <7) en release (Bijgewerkt op, volgende update). Vóór de eerste publicatie: release null en een notice. Dezelfde publicatie geeft altijd hetzelfde antwoord; de ETag verandert alleen met de publicatie of de vraag.',
      schema: PublicStatisticsSchema,
      component: 'PublicStatistics',
      alsoAs: 'text/csv',
      headers: downloadHeaders,
    },
    304: { description: 'Niet gewijzigd: nog dezelfde publicatie als de ETag in If-None-Match. Zonder inhoud.', headers: cachedHeaders },
  },
  problems: {
    406: notAcceptable,
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
  headers: ifNoneMatch,
  responses: {
    200: {
      description:
        'De pagina (text/html). Met Accept: application/json de cijfers zelf, met ETag: zonder sleutel de openbare cijfers (zoals GET /v1/public/statistics), met een sleutel met statistics:read de exacte (zoals GET /v1/statistics).',
      alsoAs: 'text/html',
      headers: cachedHeaders,
    },
    304: { description: 'Niet gewijzigd (alleen bij Accept: application/json met If-None-Match). Zonder inhoud.', headers: cachedHeaders },
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

export const triageEnrichmentRoute = {
  method: 'PATCH',
  path: triageSignalPath,
  pathParameters: { signalId: 'uuid' },
  functionName: 'triage-enrichment',
  permission: 'signals:triage',
  summary: 'Een melding in het gebied van de sleutel verrijken (classificatie) of haar status wijzigen, voor de weeg- en monitortafel',
  body: { schema: TriageEnrichmentSchema, component: 'TriageEnrichment', mediaTypes: ['application/json'], maxBytes: 4_096 },
  headers: [ifMatch],
  responses: {
    200: {
      description: 'Verrijkt (of er veranderde niets); de cijfers schuiven mee. ETag is de nieuwe versie, voor If-Match bij de volgende wijziging.',
      schema: SignalViewSchema,
      component: 'SignalView',
      headers: ['ETag'],
    },
  },
  problems: {
    404: notInArea,
    409: 'Deze statuswijziging kan niet (detail noemt de huidige status en de toegestane), of tegelijk gewijzigd.',
    412: versionMoved,
  },
} as const satisfies HttpRoute;

export const triageDecisionRoute = {
  method: 'POST',
  path: '/v1/triage/signals/{signalId}/decisions',
  pathParameters: { signalId: 'uuid' },
  functionName: 'triage-decision',
  permission: 'signals:triage',
  summary: 'Een besluit van de tafel vastleggen: route(s), vergaderdatum, vervolgdatum en een versleutelde notitie; de melding wordt besproken',
  body: { schema: DecisionInputSchema, component: 'DecisionInput', mediaTypes: ['application/json'], maxBytes: 32_768 },
  headers: [idempotencyKey, ifMatch],
  responses: {
    201: {
      description:
        'Vastgelegd (of, met dezelfde Idempotency-Key, eerder vastgelegd); vervangt het vorige besluit. Location wijst naar de melding, ETag is haar nieuwe versie. De notitie alleen als hasNote.',
      schema: DecisionViewSchema,
      component: 'DecisionView',
      headers: ['Location', 'ETag'],
    },
  },
  problems: {
    404: notInArea,
    409: 'De melding is ingetrokken of afgesloten, de Idempotency-Key is gebruikt voor een ander besluit, of tegelijk gewijzigd.',
    412: versionMoved,
  },
} as const satisfies HttpRoute;

export const privacyErasureRoute = {
  method: 'POST',
  path: '/v1/privacy/erasures',
  functionName: 'privacy-erasure',
  permission: 'privacy:erase',
  summary:
    'Een verzoek tot wissing (AVG art. 17) uitvoeren: van elk signaal over deze persoon de pseudoniemen, de beschrijving en de notities wissen; de classificatie en de cijfers blijven (voor de privacyfunctionaris)',
  body: { schema: ErasureRequestSchema, component: 'ErasureRequest', mediaTypes: ['application/json'], maxBytes: 4_096 },
  responses: {
    200: {
      description:
        'Uitgevoerd: hoeveel en welke signalen nu gewist zijn (0 als er niets (meer) was). Elk staat met het doel en kenmerk in het auditlogboek. Dezelfde persoon daarna nog eens: 0.',
      schema: ErasureResultSchema,
      component: 'ErasureResult',
      headers: ['Cache-Control'],
    },
  },
  problems: {
    409: 'Een melding werd tegelijk gewijzigd; doe het verzoek opnieuw (wat al gewist is, blijft gewist).',
    503: 'Het auditlogboek kon de wissing nu niet vastleggen; doe het verzoek opnieuw.',
  },
} as const satisfies HttpRoute;

export const triageWorklistRoute = {
  method: 'GET',
  path: '/v1/triage/signals',
  functionName: 'triage-worklist',
  permission: 'signals:triage',
  summary: 'De werklijst van de weeg- en monitortafel: de meldingen in het gebied van de sleutel, nieuwste eerst, met classificatie en eerder gesignaleerd',
  query: WorklistQuerySchema,
  responses: {
    200: {
      description:
        'Meldingen in het gebied van de sleutel die aan de zoekvraag voldoen, nieuwste ontvangst eerst, met next voor de volgende bladzijde (null: de laatste). Nooit een pseudoniem, vrije tekst of notitie.',
      schema: WorklistPageSchema,
      component: 'TriageWorklist',
      headers: ['Cache-Control'],
    },
  },
} as const satisfies HttpRoute;

export const triageSignalRoute = {
  method: 'GET',
  path: triageSignalPath,
  pathParameters: { signalId: 'uuid' },
  functionName: 'triage-signal',
  permission: 'signals:triage',
  summary: 'Eén melding voor de tafel, met besluiten, geschiedenis en eerder gesignaleerd; elke inzage komt in het auditlogboek',
  query: TriageSignalQuerySchema,
  responses: {
    200: {
      description:
        'De melding zonder persoonsgegevens, met haar versie, besluiten (een notitie alleen als hasNote) en geschiedenis. De inzage staat al in het auditlogboek.',
      schema: TriageSignalDetailSchema,
      component: 'TriageSignal',
      headers: ['Cache-Control'],
    },
  },
  problems: {
    404: notInArea,
    503: 'De inzage kon niet in het auditlogboek worden vastgelegd; er is niets getoond. Probeer het opnieuw.',
  },
} as const satisfies HttpRoute;

export const triageDescriptionRoute = {
  method: 'GET',
  path: '/v1/triage/signals/{signalId}/description',
  pathParameters: { signalId: 'uuid' },
  functionName: 'triage-description',
  permission: 'signals:triage',
  summary: 'De vrije tekst van een melding lezen, met een verplicht doel; de inzage komt eerst in het auditlogboek',
  query: DescriptionQuerySchema,
  responses: {
    200: {
      description: 'De ontsleutelde vrije tekst. De inzage staat met het doel in het auditlogboek.',
      schema: TriageDescriptionSchema,
      component: 'TriageDescription',
      headers: ['Cache-Control'],
    },
  },
  problems: {
    404: 'Onbekend, buiten het gebied van de sleutel, of zonder vrije tekst (type no-description: er is geen, of die is gewist).',
    503: readNotAudited,
  },
} as const satisfies HttpRoute;

export const triageNoteRoute = {
  method: 'GET',
  path: '/v1/triage/signals/{signalId}/decisions/{decisionId}/note',
  pathParameters: { signalId: 'uuid', decisionId: 'uuid' },
  functionName: 'triage-note',
  permission: 'signals:triage',
  summary: 'De notitie bij een besluit van de tafel lezen, met een verplicht doel; de inzage komt eerst in het auditlogboek',
  query: NoteQuerySchema,
  responses: {
    200: {
      description: 'De ontsleutelde notitie. De inzage staat met het doel en het besluit (note-read) in het auditlogboek.',
      schema: TriageNoteSchema,
      component: 'TriageNote',
      headers: ['Cache-Control'],
    },
  },
  problems: {
    404: 'Onbekend of buiten het gebied van de sleutel (type not-found), geen besluit met dit id bij deze melding (type decision-not-found), of een besluit zonder notitie (type no-note: er is geen, of die is gewist).',
    503: readNotAudited,
  },
} as const satisfies HttpRoute;

export const httpRoutes: readonly HttpRoute[] = [
  signalsIntakeRoute,
  signalsBatchRoute,
  signalStatusRoute,
  signalCorrectionRoute,
  statisticsRoute,
  publicStatisticsRoute,
  openApiRoute,
  webIntakeRoute,
  healthRoute,
  cijfersPageRoute,
  auditReadRoute,
  privacyErasureRoute,
  triageEnrichmentRoute,
  triageDecisionRoute,
  triageWorklistRoute,
  triageSignalRoute,
  triageDescriptionRoute,
  triageNoteRoute,
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
  /** The retention sweep, once a day: an EventBridge schedule on AWS, a timer in the local runner. */
  retentionSchedule: 'retention-sweep',
} as const satisfies Record<string, FunctionName>;

/** Every function the local runner invokes; the CDK app must deploy exactly these. */
export function locallyInvokedFunctions(): FunctionName[] {
  return [...new Set<FunctionName>([authorizerFunction, defaultRouteFunction, ...httpRoutes.map((r) => r.functionName), ...Object.values(eventFunctions)])];
}

export const routeKeyOf = (route: Pick<HttpRoute, 'method' | 'path'>) => `${route.method} ${route.path}`;

export const functionEntries = {
  authorizer: 'functions/authorizer/handler.ts',
  'signals-intake': 'functions/signals-intake/handler.ts',
  'signals-batch': 'functions/signals-batch/handler.ts',
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
  'privacy-erasure': 'functions/privacy-erasure/handler.ts',
  'retention-sweep': 'functions/retention-sweep/handler.ts',
  'triage-enrichment': 'functions/triage-enrichment/handler.ts',
  'triage-decision': 'functions/triage-decision/handler.ts',
  'triage-worklist': 'functions/triage-worklist/handler.ts',
  'triage-signal': 'functions/triage-signal/handler.ts',
  'triage-description': 'functions/triage-description/handler.ts',
  'triage-note': 'functions/triage-note/handler.ts',
} as const;

export type FunctionName = keyof typeof functionEntries;

/** Where a handler's source is, from the project root: for the local runner and the CDK app alike. */
export const entryPath = (root: string, name: FunctionName) => `${root.replace(/\/$/, '')}/${functionEntries[name]}`;
