import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod/mini';
import { type Problem, problem, validationProblem } from '#domain/kernel/index.js';
import type { HttpRoute, MediaType } from '../routes.js';

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

export const serverError = () => problemResponse(problem(500, 'internal', 'Interne fout', 'Er ging aan onze kant iets mis. Probeer het later opnieuw.'));

/** A route's body as its handler receives it: parsed, with the media type it came as, or the problem to answer. */
export type BodyResult = { ok: true; value: unknown; mediaType: MediaType } | { ok: false; problem: Problem };

// fatal: bytes that are not UTF-8 throw rather than become U+FFFD, so two texts that differ only in such
// bytes can never be read as one. A field keeps a leading BOM (it is content there); a body's BOM is not.
const utf8Body = new TextDecoder('utf-8', { fatal: true });
const utf8Field = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const notUtf8 = () =>
  problem(
    400,
    'invalid-utf8',
    'Geen geldige UTF-8',
    'De inhoud is geen geldige UTF-8, of bevat het teken U+FFFD voor tekens die onderweg onleesbaar werden. Stuur de tekst zoals hij is, in UTF-8.',
  );

/** The charset a Content-Type's parameters name, by its Encoding-standard name; undefined when none is named. */
function charsetOf(parameters: string[]): string | undefined {
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=', 2);
    if (name.trim().toLowerCase() !== 'charset') continue;
    const label = value.trim().replace(/^"(.*)"$/, '$1');
    try {
      return new TextDecoder(label).encoding;
    } catch {
      return label.toLowerCase() || 'onbekend';
    }
  }
  return undefined;
}

/** application/x-www-form-urlencoded percent-decoding ('+' is a space), of bytes; undefined when they are not UTF-8. */
function formDecode(text: string): string | undefined {
  const bytes = Buffer.from(text.replaceAll('+', ' '), 'utf8');
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const hex = bytes[i] === 0x25 ? bytes.toString('latin1', i + 1, i + 3) : '';
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes[length++] = Number.parseInt(hex, 16);
      i += 2;
    } else {
      bytes[length++] = bytes[i]!;
    }
  }
  try {
    return utf8Field.decode(bytes.subarray(0, length));
  } catch {
    return undefined;
  }
}

/**
 * A form's fields, as the URL standard reads them but strict: every name and value UTF-8 once decoded, and
 * each field once (a browser sends a field of this form once; a second value would silently win or lose).
 * The object has no prototype, so `__proto__` or `constructor` is a field like any other, to be refused by
 * the route's schema.
 */
function readForm(text: string): { ok: true; value: Record<string, string> } | { ok: false; problem: Problem } {
  const fields: Record<string, string> = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = formDecode(at < 0 ? pair : pair.slice(0, at));
    const value = formDecode(at < 0 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) return { ok: false, problem: notUtf8() };
    if (Object.hasOwn(fields, name)) {
      const pointer = `/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      const detail = 'Elk veld mag één keer voorkomen; een veld kwam vaker voor.';
      return {
        ok: false,
        problem: problem(400, 'repeated-field', 'Veld dubbel verstuurd', detail, [{ pointer, detail: 'Dit veld komt meer dan eens voor.' }]),
      };
    }
    fields[name] = value;
  }
  return { ok: true, value: fields };
}

/**
 * Reads a request body by its route's contract: 415 for a media type the route does not take or a charset
 * other than UTF-8, 413 over its limit, 400 for bytes that are not UTF-8 and for JSON that does not parse.
 * A form body (application/x-www-form-urlencoded) becomes a prototype-free object of its fields.
 */
export function readBody(event: HttpEvent, body: NonNullable<HttpRoute['body']>): BodyResult {
  const [essence = '', ...parameters] = (header(event, 'content-type') ?? '').split(';');
  const mediaType = body.mediaTypes.find((m) => m === essence.trim().toLowerCase());
  if (!mediaType) {
    return { ok: false, problem: problem(415, 'unsupported-media-type', 'Verkeerd formaat', `Stuur de melding als ${body.mediaTypes.join(' of ')}.`) };
  }
  const charset = charsetOf(parameters);
  if (charset !== undefined && charset !== 'utf-8') {
    return { ok: false, problem: problem(415, 'unsupported-charset', 'Verkeerde tekenset', 'Stuur de melding in UTF-8: charset=utf-8, of geen charset.') };
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (raw.length > body.maxBytes) {
    return { ok: false, problem: problem(413, 'payload-too-large', 'Melding te groot', `Een melding is hoogstens ${body.maxBytes / 1024} KB.`) };
  }
  let text: string;
  try {
    text = utf8Body.decode(raw);
  } catch {
    return { ok: false, problem: notUtf8() };
  }
  // A body handed over as text (not base64) was decoded before it got here, perhaps forgivingly: then bytes
  // that were not UTF-8 are U+FFFD by now, and a lone surrogate became one above. Refused, as they would
  // have been as bytes; a client that means the character can write it as \ufffd in JSON.
  if (!event.isBase64Encoded && text.includes('\uFFFD')) return { ok: false, problem: notUtf8() };
  if (mediaType === 'application/x-www-form-urlencoded') {
    const form = readForm(text);
    return form.ok ? { ok: true, value: form.value, mediaType } : form;
  }
  try {
    return { ok: true, value: JSON.parse(text), mediaType };
  } catch {
    return { ok: false, problem: problem(400, 'malformed-json', 'Geen geldige JSON', 'De inhoud van het verzoek is geen geldige JSON.') };
  }
}

/** A request's part as its route's schema reads it, or the problem to answer. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** A route's body read (readBody) and validated by its schema: 422 naming each wrong field. */
export function parseBody<S extends z.ZodMiniType>(event: HttpEvent, body: NonNullable<HttpRoute['body']> & { schema: S }): Parsed<z.output<S>> {
  const read = readBody(event, body);
  if (!read.ok) return read;
  const parsed = body.schema.safeParse(read.value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: validationProblem(parsed.error) };
}

/** The query (queryParameters) validated by the route's schema: 422 naming each wrong parameter, with `detail`. */
export function parseQuery<S extends z.ZodMiniType>(
  event: Pick<HttpEvent, 'rawQueryString'>,
  schema: S,
  detail = 'Een of meer zoekparameters kloppen niet.',
): Parsed<z.output<S>> {
  const parsed = schema.safeParse(queryParameters(event));
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, problem: validationProblem(parsed.error, detail) };
}

/** The Idempotency-Key header, when sent: 1 to 255 visible ASCII characters (a 400 otherwise). */
export function idempotencyKeyOf(event: HttpEvent): Parsed<string | undefined> {
  const key = header(event, 'idempotency-key');
  if (key === undefined || /^[\x21-\x7e]{1,255}$/.test(key)) return { ok: true, value: key };
  return { ok: false, problem: problem(400, 'invalid-idempotency-key', 'Ongeldige Idempotency-Key', 'Gebruik 1 tot 255 zichtbare ASCII-tekens.') };
}

/**
 * The query's parameters as the client sent them (rawQueryString; queryStringParameters is what a gateway
 * made of them, and a plain object swallows `__proto__`), in an object without a prototype, so that every
 * name reaches the route's strict schema. A repeated parameter is joined with commas, as API Gateway does,
 * and so refused by its schema unless it spells a value (`cross=month&cross=form` reads as `month,form`).
 */
export function queryParameters(event: Pick<HttpEvent, 'rawQueryString'>): Record<string, string> {
  const parameters: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(event.rawQueryString ?? '')) {
    parameters[name] = Object.hasOwn(parameters, name) ? `${parameters[name]},${value}` : value;
  }
  return parameters;
}
