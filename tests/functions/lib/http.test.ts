import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { type HttpEvent, idempotencyKeyOf, parseBody, parseQuery, readBody } from '../../../functions/lib/http.js';

const event = (headers: Record<string, string>, body?: string, isBase64Encoded = false) => ({ headers, body, isBase64Encoded }) as unknown as HttpEvent;
const json = (maxBytes: number) => ({ schema: {} as never, component: 'X', mediaTypes: ['application/json'] as const, maxBytes });
const jsonOrForm = { ...json(100), mediaTypes: ['application/json', 'application/x-www-form-urlencoded'] as const };

describe('readBody', () => {
  it('parses JSON with a charset parameter, and says it came as JSON', () => {
    expect(readBody(event({ 'content-type': 'application/json; charset=utf-8' }, '{"a":1}'), json(100))).toEqual({
      ok: true,
      value: { a: 1 },
      mediaType: 'application/json',
    });
  });

  it('measures the size in bytes, after base64 decoding', () => {
    const body = Buffer.from(JSON.stringify({ a: 'é'.repeat(30) })).toString('base64');
    expect(readBody(event({ 'content-type': 'application/json' }, body, true), json(40))).toMatchObject({ ok: false, problem: { status: 413 } });
  });

  it('answers 415 for a media type the route does not take, 400 for JSON that does not parse', () => {
    expect(readBody(event({ 'content-type': 'text/plain' }, '{}'), json(100))).toMatchObject({ problem: { status: 415 } });
    expect(readBody(event({}, '{}'), json(100))).toMatchObject({ problem: { status: 415 } });
    expect(readBody(event({ 'content-type': 'application/x-www-form-urlencoded' }, 'a=1'), json(100))).toMatchObject({ problem: { status: 415 } });
    expect(readBody(event({ 'content-type': 'application/json' }, '{'), json(100))).toMatchObject({ problem: { status: 400 } });
  });

  it('reads a form post into an object of its fields where the route takes forms', () => {
    expect(readBody(event({ 'content-type': 'application/x-www-form-urlencoded' }, 'vorm=arbeid&a=b%20c'), jsonOrForm)).toEqual({
      ok: true,
      value: { vorm: 'arbeid', a: 'b c' },
      mediaType: 'application/x-www-form-urlencoded',
    });
  });
});

describe('readBody: bytes are bytes', () => {
  const form = (body: string, contentType = 'application/x-www-form-urlencoded') => readBody(event({ 'content-type': contentType }, body), jsonOrForm);
  const base64 = (bytes: Buffer, contentType = 'application/json') =>
    readBody(event({ 'content-type': contentType }, bytes.toString('base64'), true), { ...jsonOrForm, maxBytes: 1000 });

  it('refuses with 400 two externalIds that differ only in bytes that are not UTF-8, rather than read both as U+FFFD', () => {
    for (const byte of [0xff, 0xfe]) {
      const body = Buffer.concat([Buffer.from('{"externalId":"REF-'), Buffer.from([byte]), Buffer.from('"}')]);
      expect(base64(body)).toMatchObject({ ok: false, problem: { status: 400, type: expect.stringMatching(/invalid-utf8$/) } });
    }
    expect(base64(Buffer.from('{"externalId":"REF-é"}'))).toMatchObject({ ok: true, value: { externalId: 'REF-é' } });
  });

  it('refuses a body handed over as text that holds U+FFFD or a lone surrogate: it was decoded forgivingly on its way', () => {
    expect(readBody(event({ 'content-type': 'application/json' }, '{"externalId":"REF-\uFFFD"}'), json(100))).toMatchObject({ problem: { status: 400 } });
    expect(readBody(event({ 'content-type': 'application/json' }, '{"externalId":"REF-\uD800"}'), json(100))).toMatchObject({ problem: { status: 400 } });
    // Written as an escape, the character is meant: JSON says so.
    expect(readBody(event({ 'content-type': 'application/json' }, '{"externalId":"REF-\\ufffd"}'), json(100))).toMatchObject({
      ok: true,
      value: { externalId: 'REF-\uFFFD' },
    });
  });

  it('answers 415 for a charset other than UTF-8, and takes UTF-8 however it is written', () => {
    for (const charset of ['iso-8859-1', 'windows-1252', 'utf-16', 'latin1', 'us-ascii', 'x-unknown', '']) {
      expect(readBody(event({ 'content-type': `application/json; charset=${charset}` }, '{}'), json(100))).toMatchObject({
        problem: { status: 415, type: expect.stringMatching(/unsupported-charset$/), detail: expect.stringContaining('UTF-8') },
      });
      expect(form('a=b', `application/x-www-form-urlencoded; charset=${charset}`)).toMatchObject({ problem: { status: 415 } });
    }
    for (const contentType of ['application/json; charset=UTF-8', 'application/json;charset="utf-8"', 'application/json; charset=utf8', 'Application/JSON']) {
      expect(readBody(event({ 'content-type': contentType }, '{}'), json(100))).toMatchObject({ ok: true });
    }
  });

  it('refuses a form field whose percent-encoded bytes are not UTF-8, and reads one that is', () => {
    expect(form('externalId=REF-%FF')).toMatchObject({ problem: { status: 400 } });
    expect(form('externalId=REF-%C3')).toMatchObject({ problem: { status: 400 } });
    expect(form('REF-%FE=1')).toMatchObject({ problem: { status: 400 } });
    expect(base64(Buffer.from([0x61, 0x3d, 0xff]), 'application/x-www-form-urlencoded')).toMatchObject({ problem: { status: 400 } });
    expect(form('a=S%C3%BAdwest+Frysl%C3%A2n&b=100%&c=%zz&d=%EF%BB%BFx')).toMatchObject({
      ok: true,
      value: { a: 'Súdwest Fryslân', b: '100%', c: '%zz', d: '\uFEFFx' },
    });
  });

  it('reads form fields into an object without a prototype, so __proto__ and constructor are fields like any other', () => {
    const read = form('__proto__=x&constructor=y&__proto__%5Bx%5D=1');
    if (!read.ok) throw new Error(read.problem.title);
    expect(Object.getPrototypeOf(read.value)).toBeNull();
    expect(Object.entries(read.value as object)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['__proto__[x]', '1'],
    ]);
    expect(({} as { x?: unknown }).x).toBeUndefined();
  });

  it('refuses a repeated form field with 400, naming it', () => {
    expect(form('form=a&form=b')).toMatchObject({
      ok: false,
      problem: { status: 400, errors: [{ pointer: '/form', detail: expect.stringContaining('meer dan eens') }] },
    });
    expect(form('a/b=1&a/b=2')).toMatchObject({ problem: { errors: [{ pointer: '/a~1b' }] } });
  });
});

describe('parseBody, parseQuery and idempotencyKeyOf: one reading for every handler', () => {
  const schema = z.strictObject({ form: z.enum(['arbeid', 'seksueel']) });
  const route = { schema, component: 'X', mediaTypes: ['application/json'] as const, maxBytes: 100 };
  const withBody = (body: string) => event({ 'content-type': 'application/json' }, body);

  it("answers the body's value as the schema parses it, readBody's problem as it is, and 422 naming each wrong field", () => {
    expect(parseBody(withBody('{"form":"arbeid"}'), route)).toEqual({ ok: true, value: { form: 'arbeid' } });
    expect(parseBody(withBody('{'), route)).toMatchObject({ ok: false, problem: { status: 400 } });
    expect(parseBody(withBody('{"form":"x","extra":1}'), route)).toMatchObject({
      ok: false,
      problem: { status: 422, detail: 'Een of meer velden kloppen niet.', errors: expect.arrayContaining([expect.objectContaining({ pointer: '/form' })]) },
    });
  });

  it("reads the query from rawQueryString, with the route's own detail on a 422", () => {
    expect(parseQuery({ rawQueryString: 'form=arbeid' }, schema)).toEqual({ ok: true, value: { form: 'arbeid' } });
    expect(parseQuery({ rawQueryString: 'form=x' }, schema)).toMatchObject({ problem: { status: 422, detail: 'Een of meer zoekparameters kloppen niet.' } });
    expect(parseQuery({ rawQueryString: '' }, schema, 'Geef een doel op.')).toMatchObject({ problem: { status: 422, detail: 'Geef een doel op.' } });
  });

  it('takes an Idempotency-Key of 1 to 255 visible ASCII characters or none, and answers 400 for any other', () => {
    expect(idempotencyKeyOf(event({}))).toEqual({ ok: true, value: undefined });
    expect(idempotencyKeyOf(event({ 'idempotency-key': 'tafel-0310-7' }))).toEqual({ ok: true, value: 'tafel-0310-7' });
    for (const key of ['met spatie', '', 'x'.repeat(256), 'é']) {
      expect(idempotencyKeyOf(event({ 'idempotency-key': key }))).toMatchObject({
        ok: false,
        problem: { status: 400, type: expect.stringContaining('invalid-idempotency-key') },
      });
    }
  });
});
