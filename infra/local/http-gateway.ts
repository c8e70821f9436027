import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authorizerFunction, defaultRouteFunction, httpRoutes, routeKeyOf } from '../../functions/routes.js';
import type { LocalFunctions } from './functions.js';
import { serveStatic } from './static-site.js';

// API Gateway's own limit on a request payload; a handler enforces the tighter limits of its route.
const GATEWAY_MAX_BODY = 10 * 1024 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|x-www-form-urlencoded|xml)|[^;]*\+json)/i;

function gatewayError(res: ServerResponse, statusCode: number, message: string) {
  res.writeHead(statusCode, { 'content-type': 'application/json' }).end(JSON.stringify({ message }));
}

/** Builds the event API Gateway (HTTP API, payload 2.0) hands to a Lambda integration. */
export function toHttpApiEvent(
  req: IncomingMessage,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string> = {},
): APIGatewayProxyEventV2 {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && name !== 'cookie') headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
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

/** Matches a path against a route such as /v1/signals/{signalId}; gives its parameters, or undefined. */
export function matchRoute(routePath: string, path: string): Record<string, string> | undefined {
  const names: string[] = [];
  const pattern = routePath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const match = new RegExp(`^${pattern}$`).exec(path);
  if (!match) return undefined;
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1]!)]));
}

/** Routes HTTP requests to the handlers as API Gateway would; it knows routes, not business rules. */
export function startHttpGateway(port: number, functions: LocalFunctions, log: (line: string) => void, siteDir?: string): Promise<Server> {
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    let pathParameters: Record<string, string> | undefined;
    const route = httpRoutes.find((r) => r.method === req.method && (pathParameters = matchRoute(r.path, path)));
    // Outside the API, CloudFront serves the site; on one machine the same origin does.
    if (!route && siteDir && (await serveStatic(req, res, path, siteDir))) return;

    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > GATEWAY_MAX_BODY) return gatewayError(res, 413, 'Request Entity Too Large');
      chunks.push(chunk as Buffer);
    }
    const functionName = route?.functionName ?? defaultRouteFunction;
    const event = toHttpApiEvent(req, Buffer.concat(chunks), route ? routeKeyOf(route) : '$default', route ? pathParameters : {});
    try {
      if (route?.scope) {
        const verdict = await functions.invoke<APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>>(authorizerFunction, toAuthorizerEvent(event));
        if (!verdict.isAuthorized) return gatewayError(res, 403, 'Forbidden');
        (event.requestContext as { authorizer?: unknown }).authorizer = { lambda: verdict.context ?? {} };
      }
      writeResult(res, await functions.invoke<APIGatewayProxyStructuredResultV2>(functionName, event));
    } catch (error) {
      log(`${functionName} failed: ${(error as Error).name}`);
      gatewayError(res, 500, 'Internal Server Error');
    }
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
