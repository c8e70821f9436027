import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalFunctions } from '../../../infra/local/functions.js';
import { requestTarget, startHttpGateway } from '../../../infra/local/http-gateway.js';
import { type RawAnswer, rawRequest } from '../../integration/support/raw-http.js';

// The gateway with stand-in functions: what it refuses, it refuses before any function runs.
const invoked: string[] = [];
const functions = {
  async invoke(name: string, event: { rawPath?: string }) {
    invoked.push(name);
    if (name === 'authorizer') return { isAuthorized: true, context: {} };
    return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, path: event.rawPath }) };
  },
} as unknown as LocalFunctions;

let server: Server;
let url: string;
let siteDir: string;
const logs: string[] = [];

beforeAll(async () => {
  siteDir = mkdtempSync(join(tmpdir(), 'meldroute-site-'));
  writeFileSync(join(siteDir, 'index.html'), '<!doctype html><title>t</title>');
  server = await startHttpGateway(0, functions, (line) => logs.push(line), siteDir);
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  rmSync(siteDir, { recursive: true, force: true });
});

const send = (bytes: string, options = {}) => rawRequest(url, bytes, { timeoutMs: 2_000, ...options });

function expectProblem(answer: RawAnswer, status: number) {
  expect(answer.status, answer.raw.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  const body = JSON.parse(answer.body) as { status: number; type: string; title: string };
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^tag:meldroute\.nl,2026:problem\//), title: expect.any(String) });
  return body;
}

describe('requestTarget', () => {
  it('reads an origin-form target as a path, also when it starts with //', () => {
    expect(requestTarget('/v1/statistics?year=2024')?.pathname).toBe('/v1/statistics');
    expect(requestTarget('//evil.example/x')?.pathname).toBe('//evil.example/x');
    expect(requestTarget('http://localhost:3000/v1/openapi.json')?.pathname).toBe('/v1/openapi.json');
  });

  it('refuses what is no URL a handler could be given', () => {
    for (const target of ['/v1/signals/%E0%A4%A', '/%E0%A4%A', '/%', '/%zz', 'http://[/v1/openapi.json', '*', 'example.com:443', 'mailto:x', '', undefined]) {
      expect(requestTarget(target), String(target)).toBeUndefined();
    }
  });

  it("leaves a malformed %-encoding in the query to the handler's validation: URLSearchParams reads it without failing", () => {
    expect(requestTarget('/v1/statistics?year=%E0%A4%A')?.searchParams.get('year')).toBe('\uFFFD%A');
  });
});

describe('the local HTTP gateway, refusing what a hostile client sends', () => {
  it('answers a malformed %-encoding in the API path or the site path with a 400 problem', async () => {
    const api = expectProblem(await send('GET /v1/signals/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'), 400);
    expect(api.title).toBe('Ongeldig adres');
    expectProblem(await send('GET /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n'), 400);
    const head = await send('HEAD /%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 500 });
    expect([head.status, head.headers['content-type'], head.body]).toEqual([400, 'application/problem+json', '']);
  });

  it('answers an absolute-form target that does not parse with a 400 problem', async () => {
    expectProblem(await send('GET http://[/v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n'), 400);
  });

  it("answers the parser's refusals with a problem body and closes the connection", async () => {
    const overflow = await send(`GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(expectProblem(overflow, 431).title).toBe('Headers te groot');
    expect(overflow.closed).toBe(true);
    const lengths = await send('POST /v1/signals HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab');
    expectProblem(lengths, 400);
    const bareCr = await send('GET /v1/openapi.json HTTP/1.1\rHost: x\r\n\r\n');
    expectProblem(bareCr, 400);
    expect(bareCr.headers.connection).toBe('close');
  });

  it('refuses CONNECT and an upgrade with a status, and closes the connection', async () => {
    const connect = await send('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expectProblem(connect, 405);
    expect(connect.headers.allow).toContain('GET');
    const upgrade = await send('GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expectProblem(upgrade, 501);
    expect(upgrade.closed || upgrade.headers.connection === 'close').toBe(true);
  });

  it('logs an upload the client abandons in one line, without its content, and runs no function for it', async () => {
    invoked.length = 0;
    const answer = await send('POST /v1/signals HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"geheim":"', {
      destroyAfterMs: 50,
    });
    expect(answer.status).toBeUndefined();
    await expect.poll(() => logs.find((line) => line.includes('left after'))).toBeDefined();
    const line = logs.find((l) => l.includes('left after'))!;
    expect(line).toBe('http: POST /v1/signals: the client left after 11 of 1000 bytes; request dropped');
    expect(logs.join('\n')).not.toContain('geheim');
    expect(invoked).toEqual([]);
  });

  it('still routes a normal request after all of that', async () => {
    const answer = await send('GET /v1/openapi.json HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ path: '/v1/openapi.json' });
  });
});
