import { describe, expect, it } from 'vitest';
import { readJsonBody, type HttpEvent } from '../../../functions/lib/http.js';

const event = (headers: Record<string, string>, body?: string, isBase64Encoded = false) => ({ headers, body, isBase64Encoded }) as unknown as HttpEvent;

describe('readJsonBody', () => {
  it('parses JSON with a charset parameter', () => {
    expect(readJsonBody(event({ 'content-type': 'application/json; charset=utf-8' }, '{"a":1}'), 100)).toEqual({ ok: true, value: { a: 1 } });
  });

  it('measures the size in bytes, after base64 decoding', () => {
    const body = Buffer.from(JSON.stringify({ a: 'é'.repeat(30) })).toString('base64');
    expect(readJsonBody(event({ 'content-type': 'application/json' }, body, true), 40)).toMatchObject({ ok: false, problem: { status: 413 } });
  });

  it('answers 415, 400', () => {
    expect(readJsonBody(event({ 'content-type': 'text/plain' }, '{}'), 100)).toMatchObject({ problem: { status: 415 } });
    expect(readJsonBody(event({}, '{}'), 100)).toMatchObject({ problem: { status: 415 } });
    expect(readJsonBody(event({ 'content-type': 'application/json' }, '{'), 100)).toMatchObject({ problem: { status: 400 } });
  });
});
