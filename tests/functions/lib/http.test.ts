import { describe, expect, it } from 'vitest';
import { authenticate, hashApiKey, readJsonBody, type HttpEvent } from '../../../functions/lib/http.js';
import type { Principal } from '../../../shared/domain/ports.js';

const event = (headers: Record<string, string>, body?: string, isBase64Encoded = false) => ({ headers, body, isBase64Encoded }) as unknown as HttpEvent;
const principal: Principal = { organisation: 'O', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };
const keys = { findByHash: async (hash: string) => (hash === hashApiKey('goed') ? principal : undefined) };

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

describe('authenticate', () => {
  it('takes the key from Authorization: Bearer or X-Api-Key', async () => {
    expect(await authenticate(event({ authorization: 'Bearer goed' }), keys, 'signals:write')).toEqual({ principal });
    expect(await authenticate(event({ 'x-api-key': 'goed' }), keys, 'signals:write')).toEqual({ principal });
  });

  it('answers 401 with a challenge without a known key, and 403 without the scope', async () => {
    expect(await authenticate(event({}), keys, 'signals:write')).toMatchObject({ problem: { status: 401 }, headers: { 'www-authenticate': expect.any(String) } });
    expect(await authenticate(event({ authorization: 'Bearer fout' }), keys, 'signals:write')).toMatchObject({ problem: { status: 401 } });
    expect(await authenticate(event({ 'x-api-key': 'goed' }), keys, 'statistics:read')).toMatchObject({ problem: { status: 403 } });
  });
});
