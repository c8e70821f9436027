import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { LocalFunctions } from '../../../infra/local/functions.js';
import { drainHttpGateway, startHttpGateway, toHttpApiEvent } from '../../../infra/local/http-gateway.js';

describe('a stopping gateway', () => {
  it('finishes the request in flight, takes no new connection, then closes', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const functions = {
      async invoke(name: string) {
        if (name === 'openapi') await slow;
        return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"ok":true}' };
      },
    } as unknown as LocalFunctions;
    const server = await startHttpGateway(0, functions, () => undefined);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;

    const inFlight = fetch(`${url}/v1/openapi.json`);
    await new Promise((r) => setTimeout(r, 100));
    const drained = drainHttpGateway(server, 5_000);
    // A new connection is no longer accepted (a request on a connection still open is answered 503 with Retry-After).
    await expect(fetch(`${url}/v1/openapi.json`)).rejects.toThrow();
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    await drained;
    expect(server.listening).toBe(false);
  });
});

describe('the event the gateway builds', () => {
  const request = (body: Buffer, query = '') =>
    toHttpApiEvent(
      {
        url: `/v1/signals${query}`,
        headers: { 'content-type': 'application/json' },
        method: 'POST',
        httpVersion: '1.1',
        socket: {},
      } as unknown as IncomingMessage,
      body,
      'POST /v1/signals',
    );

  it('passes bytes that are not UTF-8 as base64, so that the handler sees them unmended', () => {
    const event = request(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body!, 'base64')).toEqual(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]));
    expect(request(Buffer.from('{"a":"é"}')).isBase64Encoded).toBe(false);
  });

  it('keeps a query parameter named __proto__ as a parameter', () => {
    const event = request(Buffer.alloc(0), '?year=2012&__proto__=x');
    expect(Object.keys(event.queryStringParameters ?? {})).toEqual(['year', '__proto__']);
  });
});
