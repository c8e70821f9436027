import { problem } from '#domain/kernel/index.js';
import { problemResponse } from '../lib/http.js';
import { httpHandler } from '../lib/middleware.js';

/** Every path and method outside the contract: a problem+json 404 rather than API Gateway's bare one. */
export const handler = httpHandler(async (event) =>
  problemResponse(problem(404, 'not-found', 'Niet gevonden', `${event.requestContext.http.method} ${event.rawPath} bestaat niet. Zie /v1/openapi.json.`)),
);
