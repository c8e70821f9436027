import { randomUUID } from 'node:crypto';
import { referenceOf, takeInWebSignal } from '#domain/intake/web/index.js';
import { problem, validationProblem } from '#domain/kernel/index.js';
import { errorsByField, formPage, unknownFieldsOf } from '../../web/pages/form-page.js';
import { SECURITY_HEADERS } from '../../web/pages/html.js';
import { noticePage, rateLimitMessage } from '../../web/pages/notice-page.js';
import { receiptPage } from '../../web/pages/receipt-page.js';
import { webIntakePorts } from '../lib/dependencies.js';
import { type HttpEvent, type HttpResult, header, jsonResponse, problemResponse, readBody } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { countAccepted, countMetric } from '../lib/metrics.js';
import { httpHandler } from '../lib/middleware.js';
import { webIntakeRoute as route } from '../routes.js';

const ports = webIntakePorts();

const htmlResponse = (statusCode: number, body: string, headers: Record<string, string> = {}): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers },
  body,
});

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
  // The page's script sends JSON and is answered in JSON; a plain form post is answered with a page.
  const json = header(event, 'content-type')?.toLowerCase().startsWith('application/json') ?? false;
  const body = readBody(event, route.body);
  if (body.ok && (!body.value || typeof body.value !== 'object' || Array.isArray(body.value))) {
    return problemResponse(problem(400, 'web-form', 'Geen geldige melding', 'De inhoud is geen JSON-object.'));
  }
  if (!body.ok) {
    const { status, title, detail = '' } = body.problem;
    return json ? problemResponse(body.problem) : htmlResponse(status, noticePage(title, detail));
  }

  const outcome = await takeInWebSignal(body.value as Record<string, unknown>, clientAddress(event), ports);
  switch (outcome.outcome) {
    case 'accepted':
      logger.info('web signal accepted', { signalId: outcome.signalId });
      countAccepted('web', outcome.sourceType);
      return json ? jsonResponse(202, { reference: outcome.reference }) : htmlResponse(200, receiptPage(outcome.reference));
    case 'honeypot': {
      // Answered as a success, so that a robot learns nothing; nothing was queued.
      logger.warn('web form honeypot filled: not stored');
      const reference = referenceOf(randomUUID());
      return json ? jsonResponse(202, { reference }) : htmlResponse(200, receiptPage(reference));
    }
    case 'rate-limited': {
      logger.warn('web form rate limit', { window: outcome.window });
      countMetric('WebPostsRateLimited', outcome.window);
      const detail = rateLimitMessage(outcome.window, outcome.retryAfterSeconds);
      const retry = { 'retry-after': String(outcome.retryAfterSeconds) };
      return json
        ? problemResponse(problem(429, 'rate-limited', 'Te veel meldingen', detail), retry)
        : htmlResponse(429, noticePage('Te veel meldingen', detail), retry);
    }
    case 'invalid':
      // The API's own mapping of schema issues to pointers: an unknown field is named too.
      if (json) return problemResponse(validationProblem(outcome.error));
      return htmlResponse(
        422,
        formPage({ values: outcome.values, errors: errorsByField(outcome.error.issues), unknownFields: unknownFieldsOf(outcome.error.issues) }),
      );
  }
});
