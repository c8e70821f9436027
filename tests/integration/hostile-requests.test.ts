import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';
import { type RawAnswer, rawRequest } from './support/raw-http.js';

// Issue 13, items 1 and 7: nothing a client sends can stop the runner. Each request below once crashed
// it (an unhandled URIError, TypeError or "aborted"), leaving DynamoDB Local running as an orphan, or
// got an empty answer where every other refusal is problem+json.
let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const send = (bytes: string, options = {}) => rawRequest(stack.ready.apiUrl, bytes, { timeoutMs: 5_000, ...options });

function expectProblem(answer: RawAnswer, status: number): { title: string; detail?: string } {
  expect(answer.status, answer.raw.slice(0, 300)).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(answer.body) as { status: number; type: string; title: string; detail?: string };
  expect(body).toMatchObject({ status, type: expect.stringMatching(/^tag:meldroute\.nl,2026:problem\//) });
  return body;
}

/** One SMTP command and the server's (last) reply line. */
function smtpSay(socket: Socket, line?: string): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const last = text.trimEnd().split('\r\n').at(-1) ?? '';
      if (/^\d{3} /.test(last)) {
        socket.off('data', onData);
        resolve(last);
      }
    };
    socket.on('data', onData);
    if (line !== undefined) socket.write(`${line}\r\n`);
  });
}

describe('the local stack, sent what a hostile client sends', () => {
  it('answers a malformed %-encoding in an API path with a 400 problem in Dutch', async () => {
    const body = expectProblem(await send('GET /v1/signals/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n'), 400);
    expect(body.title).toBe('Ongeldig adres');
    expect(body.detail).toContain('%-codering');
  });

  it('answers a malformed %-encoding in a path of the site with a 400 problem', async () => {
    expectProblem(await send('GET /%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n\r\n'), 400);
  });

  it('answers a request target that is no URL with a 400 problem', async () => {
    expectProblem(await send('GET http://[/v1/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n'), 400);
  });

  it('drops an upload whose client leaves before the announced Content-Length, with one log line and nothing of its content', async () => {
    const secret = '{"description":"geheim-7c1e';
    const answer = await send(
      `POST /v1/signals HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${stack.key('signals:write')}\r\nContent-Type: application/json\r\nContent-Length: 4096\r\n\r\n${secret}`,
      { destroyAfterMs: 100 },
    );
    expect(answer.status).toBeUndefined();
    await expect.poll(() => stack.logs.includes('the client left after'), { timeout: 5_000 }).toBe(true);
    const line = stack.logs.split('\n').find((l) => l.includes('the client left after'))!;
    expect(line).toContain(`POST /v1/signals: the client left after ${Buffer.byteLength(secret)} of 4096 bytes`);
    expect(stack.logs).not.toContain('geheim-7c1e');
  });

  it("answers the HTTP parser's refusals with a problem body instead of an empty one", async () => {
    const overflow = await send(`GET /v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(expectProblem(overflow, 431).title).toBe('Headers te groot');
    expect(overflow.closed).toBe(true);
    const lengths = await send('POST /v1/signals HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc');
    expectProblem(lengths, 400);
    expect(lengths.closed).toBe(true);
    const bareCr = await send('GET /v1/openapi.json HTTP/1.1\rHost: localhost\r\n\r\n');
    expect(expectProblem(bareCr, 400).title).toBe('Ongeldig verzoek');
  });

  it('refuses CONNECT and an upgrade with a status and closes the connection', async () => {
    const tunnel = await send('CONNECT example.org:443 HTTP/1.1\r\nHost: example.org:443\r\n\r\n');
    expectProblem(tunnel, 405);
    expect(tunnel.closed).toBe(true);
    const upgrade = await send(
      'GET /v1/openapi.json HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    expectProblem(upgrade, 501);
    expect(upgrade.closed).toBe(true);
  });

  it('gives a handler a malformed path parameter or query only to be refused by it, never a throw (as on AWS)', async () => {
    // API Gateway decodes path parameters: a well-formed %-encoding that is no UUID is the handler's 404.
    const auth = `Authorization: Bearer ${stack.key('signals:write')}\r\n`;
    expectProblem(await send(`GET /v1/signals/%E0%A4%A4 HTTP/1.1\r\nHost: localhost\r\n${auth}\r\n`), 404);
    expectProblem(await send(`GET /v1/signals/%00%2F.. HTTP/1.1\r\nHost: localhost\r\n${auth}\r\n`), 404);
    expectProblem(await send(`PATCH /v1/signals/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\n${auth}Content-Length: 0\r\n\r\n`), 400);
    // A malformed %-encoding in the query reaches the handler as text its schema refuses.
    const statistics = `X-Api-Key: ${stack.key('statistics:read')}\r\n`;
    expectProblem(await send(`GET /v1/statistics?year=%E0%A4%A&region=%ZZ HTTP/1.1\r\nHost: localhost\r\n${statistics}\r\n`), 422);
  });

  it('drops a mail whose client leaves in the middle of DATA, and takes the next one', async () => {
    const socket = connect(stack.ready.smtpPort, '127.0.0.1');
    expect(await smtpSay(socket)).toMatch(/^220 /);
    expect(await smtpSay(socket, 'EHLO hostile.example')).toMatch(/^250 /);
    expect(await smtpSay(socket, 'MAIL FROM:<a@hostile.example>')).toMatch(/^250 /);
    expect(await smtpSay(socket, `RCPT TO:<${stack.ready.mailRecipients[0]}>`)).toMatch(/^250 /);
    expect(await smtpSay(socket, 'DATA')).toMatch(/^354 /);
    socket.write('Subject: half\r\n\r\ngeheim-smtp-5d2a, en dan ');
    await new Promise((r) => setTimeout(r, 100));
    socket.destroy();
    await expect.poll(() => stack.logs.includes('smtp: message dropped'), { timeout: 5_000 }).toBe(true);
    expect(stack.logs).not.toContain('geheim-smtp-5d2a');
    const next = await stack.sendMail({ from: 'b@hostile.example', subject: 'heel', text: 'Een volledig bericht.' });
    expect(next.response).toMatch(/^250 /);
  });

  it('still answers a normal request after all of them, and never caught an error it did not expect', async () => {
    expect(stack.running).toBe(true);
    const response = await fetch(`${stack.ready.apiUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect((await response.json()) as object).toHaveProperty('openapi');
    expect(stack.logs).not.toMatch(/uncaught exception|unhandled rejection|failed in the gateway/);
  });
});
