import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { type Problem, problem } from '#domain/kernel/index.js';
import { authorizerFunction, defaultRouteFunction, httpRoutes, routeKeyOf } from '../../functions/routes.js';
import type { LocalFunctions } from './functions.js';
import { serveStatic } from './static-site.js';

// API Gateway's own limit on a request payload; a handler enforces the tighter limits of its route.
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|x-www-form-urlencoded|xml)|[^;]*\+json)/i;

/** API Gateway's own answers (413, 403, 500) have this shape, not problem+json: the emulation keeps it. */
function gatewayError(res: ServerResponse, statusCode: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(statusCode, { 'content-type': 'application/json', ...headers }).end(JSON.stringify({ message }));
}

// What API Gateway and CloudFront refuse before any handler runs; here the runner answers as the API does.
const malformedUrl = () =>
  problem(400, 'malformed-url', 'Ongeldig adres', 'Het adres van het verzoek is geen geldige URL, bijvoorbeeld door een onvolledige %-codering in het pad.');
const malformedRequest = () => problem(400, 'malformed-request', 'Ongeldig verzoek', 'Het verzoek volgt de regels van HTTP/1.1 niet en is niet gelezen.');
const headersTooLarge = () => problem(431, 'headers-too-large', 'Headers te groot', 'De headers van het verzoek zijn samen te groot.');
const requestTimeout = () => problem(408, 'request-timeout', 'Verzoek niet op tijd', 'Het verzoek kwam niet op tijd volledig binnen.');
const connectRefused = () => problem(405, 'method-not-allowed', 'Methode niet toegestaan', 'CONNECT wordt niet ondersteund: dit is geen proxy.');
const upgradeRefused = () =>
  problem(
    501,
    'upgrade-not-supported',
    'Protocolwissel niet ondersteund',
    'Deze API spreekt alleen HTTP; een Upgrade (zoals WebSocket) wordt niet ondersteund.',
  );
const gatewayFailure = () => problem(500, 'internal', 'Interne fout', 'Er ging aan onze kant iets mis. Probeer het later opnieuw.');

const ALLOWED_METHODS = [...new Set(['GET', 'HEAD', ...httpRoutes.map((r) => r.method)])].join(', ');

function sendProblem(res: ServerResponse, p: Problem, headers: Record<string, string> = {}) {
  const body = JSON.stringify(p);
  res.writeHead(p.status, { 'content-type': 'application/problem+json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/**
 * Answers on the bare socket, where Node hands over no response object (a parser refusal, CONNECT, an
 * upgrade), then closes the connection once the answer is written.
 */
function refuseOnSocket(socket: Duplex, p: Problem, headers: Record<string, string> = {}) {
  const body = JSON.stringify(p);
  const head = [
    `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status]}`,
    'Content-Type: application/problem+json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.write(`${head.join('\r\n')}\r\n\r\n${body}`);
  (socket as Socket).destroySoon();
  // A client that reads nothing would keep the connection open while the answer waits to be sent.
  setTimeout(() => socket.destroy(), 2_000).unref();
}

/** One line for the log: what failed, never a message or body that might carry what a client sent. */
function errorName(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  return [name ?? typeof error, code].filter(Boolean).join(' ');
}

/**
 * The request's path and query as a URL, or undefined when they are none a handler could be given: an
 * absolute-form target that does not parse (`http://[/x`), an asterisk or authority form, or a path whose
 * %-encoding does not decode (API Gateway decodes the path parameters, so the whole path must decode).
 */
export function requestTarget(target: string | undefined): URL | undefined {
  if (!target) return undefined;
  try {
    // An origin-form target is a path, so //host/x stays the path //host/x instead of naming a host.
    const url = target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
    if (!url.pathname.startsWith('/')) return undefined;
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    return undefined;
  }
}

type BodyRead = { body: Buffer } | { tooLarge: true } | { aborted: true; received: number };

/** Reads a request's body up to API Gateway's limit; a client that leaves halfway is reported, not thrown. */
function readRequestBody(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= GATEWAY_MAX_BODY) return void chunks.push(chunk);
      // The rest is read and dropped; the answer closes the connection.
      req.off('data', onData);
      chunks.length = 0;
      resolve({ tooLarge: true });
    };
    req.on('data', onData);
    req.once('end', () => resolve({ body: Buffer.concat(chunks) }));
    // Node reports a client that disconnects before the announced Content-Length as 'error' ("aborted").
    req.once('error', () => resolve({ aborted: true, received }));
    req.once('close', () => req.complete || resolve({ aborted: true, received }));
  });
}

/** Builds the event API Gateway (HTTP API, payload 2.0) hands to a Lambda integration. */
export function toHttpApiEvent(req: IncomingMessage, body: Buffer, routeKey: string, pathParameters: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const url = requestTarget(req.url);
  if (!url) throw new TypeError('toHttpApiEvent takes a request whose target requestTarget accepts');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // No prototype: a parameter named __proto__ is a parameter like any other, for the handler to refuse.
  const query: Record<string, string> = Object.create(null);
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  // Bytes that are not UTF-8 travel as base64, so that the handler sees them as they came, not mended.
  const isText = body.length === 0 || (TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body));
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(req.headers.cookie && { cookies: req.headers.cookie.split(/;\s*/) }),
    headers,
    ...(Object.keys(query).length > 0 && { queryStringParameters: query }),
    ...(Object.keys(pathParameters).length > 0 && { pathParameters }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0 && { body: isText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !isText,
  };
}

function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2 | string | object | undefined) {
  // A handler may return a bare value: API Gateway then answers 200 with it as JSON.
  if (!result || typeof result !== 'object' || !('statusCode' in result)) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(typeof result === 'string' ? result : JSON.stringify(result ?? null));
    return;
  }
  const headers: Record<string, string | string[]> = { ...(result.headers as Record<string, string>) };
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ? Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8') : undefined;
  res.writeHead(result.statusCode ?? 200, headers).end(body);
}

/** The REQUEST event an HTTP API hands its Lambda authorizer (payload 2.0, no identity sources). */
export function toAuthorizerEvent(request: APIGatewayProxyEventV2): APIGatewayRequestAuthorizerEventV2 {
  const { requestContext, routeKey, rawPath, rawQueryString, cookies, headers, queryStringParameters, pathParameters } = request;
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:local:${requestContext.accountId}:${requestContext.apiId}/${requestContext.stage}/${requestContext.http.method}${rawPath}`,
    identitySource: [],
    routeKey,
    rawPath,
    rawQueryString,
    cookies: cookies ?? [],
    headers: headers ?? {},
    queryStringParameters: queryStringParameters ?? {},
    pathParameters: pathParameters ?? {},
    stageVariables: {},
    requestContext,
  } as APIGatewayRequestAuthorizerEventV2;
}

/** Each route path's pattern and parameter names, made once: every request is matched against them. */
const routePatterns = new Map<string, { pattern: RegExp; names: string[] }>();

function routePattern(routePath: string): { pattern: RegExp; names: string[] } {
  let compiled = routePatterns.get(routePath);
  if (!compiled) {
    const names: string[] = [];
    const source = routePath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    compiled = { pattern: new RegExp(`^${source}$`), names };
    routePatterns.set(routePath, compiled);
  }
  return compiled;
}

/** Matches a path against a route such as /v1/signals/{signalId}; gives its parameters, or undefined. */
export function matchRoute(routePath: string, path: string): Record<string, string> | undefined {
  const { pattern, names } = routePattern(routePath);
  const match = pattern.exec(path);
  if (!match) return undefined;
  try {
    return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
  } catch {
    // A parameter whose %-encoding does not decode matches no route (the gateway refuses such paths first).
    return undefined;
  }
}

/** Routes HTTP requests to the handlers as API Gateway would; it knows routes, not business rules. */
/** Per gateway: whether it is stopping, and how many requests it is still answering. */
const gatewayState = new WeakMap<Server, { draining: boolean; inFlight: number }>();

/**
 * Stops the gateway as a deployment drains a load balancer: no new connections, every new request on an
 * open one answered 503 with Retry-After, the requests in flight finished (for at most `timeoutMs`).
 */
export async function drainHttpGateway(server: Server, timeoutMs = 10_000): Promise<void> {
  const state = gatewayState.get(server);
  if (state) state.draining = true;
  const closed = new Promise<void>((done) => server.close(() => done()));
  server.closeIdleConnections();
  const deadline = Date.now() + timeoutMs;
  while ((state?.inFlight ?? 0) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  server.closeAllConnections();
  await closed;
}

export function startHttpGateway(port: number, functions: LocalFunctions, log: (line: string) => void, siteDir?: string): Promise<Server> {
  const state = { draining: false, inFlight: 0 };
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (state.draining) {
      return sendProblem(res, problem(503, 'stopping', 'Tijdelijk niet beschikbaar', 'De dienst stopt. Probeer het over enkele seconden opnieuw.'), {
        'retry-after': '5',
        connection: 'close',
      });
    }
    const url = requestTarget(req.url);
    // Refused before its body is read: the connection closes, or that body would be read as the next request.
    if (!url) return sendProblem(res, malformedUrl(), { connection: 'close' });
    const path = url.pathname;
    let pathParameters: Record<string, string> | undefined;
    const route = httpRoutes.find((r) => {
      pathParameters = r.method === req.method ? matchRoute(r.path, path) : undefined;
      return pathParameters !== undefined;
    });
    // Outside the API, CloudFront serves the site; on one machine the same origin does.
    if (!route && siteDir && (await serveStatic(req, res, path, siteDir))) return;

    const routeKey = route ? routeKeyOf(route) : '$default';
    const read = await readRequestBody(req);
    if ('aborted' in read) {
      // Nobody is left to answer; on AWS API Gateway would drop it the same way, before any function runs.
      log(
        `http: ${route ? routeKey : `${req.method} outside the routes`}: the client left after ${read.received} of ${req.headers['content-length'] ?? '?'} bytes; request dropped`,
      );
      res.destroy();
      return;
    }
    if ('tooLarge' in read) return gatewayError(res, 413, 'Request Entity Too Large', { connection: 'close' });
    const functionName = route?.functionName ?? defaultRouteFunction;
    const event = toHttpApiEvent(req, read.body, routeKey, route ? pathParameters : {});
    try {
      if (route?.permission) {
        const verdict = await functions.invoke<APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>>(
          authorizerFunction,
          toAuthorizerEvent(event),
        );
        if (!verdict.isAuthorized) return gatewayError(res, 403, 'Forbidden');
        (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: verdict.context ?? {} };
      }
      writeResult(res, await functions.invoke<APIGatewayProxyStructuredResultV2>(functionName, event));
    } catch (error) {
      log(`${functionName} failed: ${(error as Error).name}`);
      gatewayError(res, 500, 'Internal Server Error');
    }
  }

  // Whatever a request does, the runner keeps serving: a failure of the gateway itself is a 500 and a line in the log.
  const server = createServer((req, res) => {
    res.on('error', (error) => log(`http: answer to ${req.method} not delivered (${errorName(error)})`));
    state.inFlight++;
    handle(req, res)
      .catch((error: unknown) => {
        log(`http: ${req.method} failed in the gateway (${errorName(error)})`);
        if (!res.headersSent) sendProblem(res, gatewayFailure());
        else res.destroy();
      })
      .finally(() => state.inFlight--);
  });
  gatewayState.set(server, state);
  server.keepAliveTimeout = 5_000;
  const refused = new WeakSet<Duplex>();

  // Node's parser refused the request (malformed, oversized headers, conflicting lengths). Its own answer
  // has an empty body; this one is problem+json like every other refusal.
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // No answer where the client is gone (a reset, or the socket no longer writable), or where the
    // answer to an earlier request on this connection has begun: bytes written now would land inside
    // it. (Node's own handler checks the same private field.)
    const inFlight = (socket as { _httpMessage?: ServerResponse })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) return void socket.destroy();
    // The parser reports every later chunk on a refused connection again; one answer is enough.
    if (refused.has(socket)) return;
    refused.add(socket);
    log(`http: refused a request the HTTP parser could not read (${error.code ?? error.name})`);
    const refusal =
      error.code === 'HPE_HEADER_OVERFLOW' ? headersTooLarge() : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? requestTimeout() : malformedRequest();
    refuseOnSocket(socket, refusal);
  });
  // Without these listeners Node drops a CONNECT without a word and serves an upgrade as plain HTTP.
  server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    refuseOnSocket(socket, connectRefused(), { Allow: ALLOWED_METHODS });
  });
  server.on('upgrade', (_req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    refuseOnSocket(socket, upgradeRefused());
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      server.on('error', (error) => log(`http: ${errorName(error)}`));
      resolve(server);
    });
  });
}
