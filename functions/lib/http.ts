import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { problem, type Problem } from '#domain/kernel/index.js';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;

export function header(event: HttpEvent, name: string): string | undefined {
  return event.headers?.[name.toLowerCase()];
}

export function jsonResponse(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function problemResponse(p: Problem, headers: Record<string, string> = {}): HttpResult {
  return { statusCode: p.status, headers: { 'content-type': 'application/problem+json', ...headers }, body: JSON.stringify(p) };
}

export const serverError = () =>
  problemResponse(problem(500, 'internal', 'Interne fout', 'Er ging aan onze kant iets mis. Probeer het later opnieuw.'));

/** The body as JSON: 415 for another media type, 413 when too large, 400 when it does not parse. */
export function readJsonBody(event: HttpEvent, maxBytes: number): { ok: true; value: unknown } | { ok: false; problem: Problem } {
  const contentType = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (contentType !== 'application/json') {
    return { ok: false, problem: problem(415, 'unsupported-media-type', 'Verkeerd formaat', 'Stuur de melding als application/json.') };
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > maxBytes) {
    return { ok: false, problem: problem(413, 'payload-too-large', 'Melding te groot', `Een melding is hoogstens ${maxBytes / 1024} KB.`) };
  }
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return { ok: false, problem: problem(400, 'malformed-json', 'Geen geldige JSON', 'De inhoud van het verzoek is geen geldige JSON.') };
  }
}
