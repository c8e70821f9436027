import { httpHandler } from '../lib/middleware.js';
import { openApiDocument } from './document.js';

const document = JSON.stringify(openApiDocument());

/** GET /v1/openapi.json: the contract, for a partner's developer; public. */
export const handler = httpHandler(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=300' },
  body: document,
}));
