import { randomUUID } from 'node:crypto';
import { problem, validationProblem } from '#domain/kernel/index.js';
import { takeInWebSignal, referenceOf } from '#domain/intake/web/index.js';
import { errorsByField, formPage } from '../../web/pages/form-page.js';
import { SECURITY_HEADERS } from '../../web/pages/html.js';
import { noticePage, rateLimitMessage } from '../../web/pages/notice-page.js';
import { receiptPage } from '../../web/pages/receipt-page.js';
import { webIntakePorts } from '../lib/dependencies.js';
import { header, jsonResponse, problemResponse, type HttpEvent, type HttpResult } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { httpHandler } from '../lib/middleware.js';

const MAX_BODY_BYTES = 16 * 1024;
const ports = webIntakePorts();

const htmlResponse = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
  body,
});

type Body = { ok: true; values: Record<string, unknown> } | { ok: false; status: 400 | 413 | 415; title: string; detail: string };

/** A plain form post (urlencoded) or the script's fetch (JSON); at most 16 KB either way. */
function readBody(event: HttpEvent, json: boolean): Body {
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > MAX_BODY_BYTES) return { ok: false, status: 413, title: 'Melding te groot', detail: 'Een melding is hoogstens 16 KB. Maak de beschrijving korter.' };
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (json) {
    try {
      const value: unknown = JSON.parse(raw.toString('utf8'));
      if (value && typeof value === 'object' && !Array.isArray(value)) return { ok: true, values: value as Record<string, unknown> };
    } catch {
      // answered below
    }
    return { ok: false, status: 400, title: 'Geen geldige melding', detail: 'De inhoud is geen JSON-object.' };
  }
  if (contentType !== 'application/x-www-form-urlencoded') {
    return { ok: false, status: 415, title: 'Verkeerd formaat', detail: 'Verstuur het meldformulier, of stuur JSON.' };
  }
  return { ok: true, values: Object.fromEntries(new URLSearchParams(raw.toString('utf8'))) };
}

/**
 * The reporter's address, for the rate limit only: behind CloudFront the connection is CloudFront's, and
 * the viewer's address (with its port) comes in CloudFront-Viewer-Address.
 */
export function clientAddress(event: HttpEvent): string {
  const viewer = header(event, 'cloudfront-viewer-address');
  if (!viewer) return event.requestContext.http.sourceIp;
  const bracketed = /^\[([^\]]+)\]/.exec(viewer);
  if (bracketed) return bracketed[1]!;
  return viewer.includes(':') ? viewer.slice(0, viewer.lastIndexOf(':')) : viewer;
}

/** POST /v1/web/signals: the public meldformulier, with or without JavaScript. No key; channel web. */
export const handler = httpHandler(async (event) => {
  const json = header(event, 'content-type')?.toLowerCase().startsWith('application/json') ?? false;
  const body = readBody(event, json);
  if (!body.ok) {
    return json ? problemResponse(problem(body.status, 'web-form', body.title, body.detail)) : htmlResponse(body.status, noticePage(body.title, body.detail));
  }

  const outcome = await takeInWebSignal(body.values, clientAddress(event), ports);
  switch (outcome.outcome) {
    case 'accepted':
      logger.info('web signal accepted', { signalId: outcome.signalId });
      return json ? jsonResponse(202, { reference: outcome.reference }) : htmlResponse(200, receiptPage(outcome.reference));
    case 'honeypot': {
      // Answered as a success, so that a robot learns nothing; nothing was queued.
      logger.warn('web form honeypot filled: not stored');
      const reference = referenceOf(randomUUID());
      return json ? jsonResponse(202, { reference }) : htmlResponse(200, receiptPage(reference));
    }
    case 'rate-limited': {
      logger.warn('web form rate limit', { window: outcome.window });
      const detail = rateLimitMessage(outcome.window, outcome.retryAfterSeconds);
      const retry = { 'retry-after': String(outcome.retryAfterSeconds) };
      return json ? problemResponse(problem(429, 'rate-limited', 'Te veel meldingen', detail), retry) : htmlResponse(429, noticePage('Te veel meldingen', detail), retry);
    }
    case 'invalid':
      // The API's own mapping of schema issues to pointers: an unknown field is named too.
      if (json) return problemResponse(validationProblem(outcome.error));
      return htmlResponse(422, formPage({ values: outcome.values, errors: errorsByField(outcome.error.issues) }));
  }
});
