import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { vi } from 'vitest';

/**
 * Stubs what a handler module reads when it loads: the region its real clients are wired for, Powertools
 * silenced, plus the file's own variables (table names, key locations). Call it before the handler's
 * dynamic `await import`, since the module reads the environment at load.
 */
export function stubHandlerEnvironment(variables: Record<string, string> = {}): void {
  const environment = { AWS_REGION: 'eu-central-1', POWERTOOLS_LOG_LEVEL: 'SILENT', POWERTOOLS_METRICS_DISABLED: 'true', ...variables };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
}

export interface ApiRequest {
  method: string;
  path: string;
  query?: string;
  headers?: Record<string, string>;
  /** Sent as text, never base64. */
  body?: string;
  pathParameters?: Record<string, string>;
  /** What the Lambda authorizer handed on; public routes have none. */
  verdict?: object;
  sourceIp?: string;
}

/** An API Gateway (HTTP API, payload 2.0) event with just the fields the handlers read; absent options stay absent. */
export const apiEvent = ({ method, path, query = '', headers = {}, body, pathParameters, verdict, sourceIp }: ApiRequest) =>
  ({
    rawPath: path,
    rawQueryString: query,
    headers,
    ...(body !== undefined && { body, isBase64Encoded: false }),
    ...(pathParameters && { pathParameters }),
    requestContext: {
      requestId: 'r-1',
      http: { method, ...(sourceIp && { sourceIp }) },
      ...(verdict && { authorizer: { lambda: verdict } }),
    },
  }) as unknown as APIGatewayProxyEventV2;
