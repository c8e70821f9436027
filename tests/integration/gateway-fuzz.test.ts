import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';
import { rawRequest } from './support/raw-http.js';

// Random requests over a raw socket against the local stack: whatever comes, each gets an answer (or
// its connection closed), no client mistake is a 500, and the runner keeps serving. A fixed seed and a
// bounded number of runs, so that a failure can be replayed.
const SEED = 1313;
const RUNS = 150;

let stack: TestStack;
beforeAll(async () => {
  stack = await TestStack.start();
});
afterAll(() => stack?.stop());

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const hexDigit = fc.constantFrom(...'0123456789abcdefABCDEFgz'.split(''));

/** %-encodings: of any byte (so random, often invalid, UTF-8), cut short, or with no hex at all. */
const percent = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`),
  fc.array(hexDigit, { maxLength: 2 }).map((digits) => `%${digits.join('')}`),
);

// Weighted so that about half the requests get past the parser and the URL check to a route or the site.
const segment = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom('v1', 'signals', 'statistics', 'openapi.json', 'health', 'meldformulier', '..', '.', '', 'assets', 'index.html') },
  { weight: 2, arbitrary: fc.uuid() },
  { weight: 2, arbitrary: fc.array(percent, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 6 }).map(latin1) },
);

const path = fc.oneof(
  { weight: 4, arbitrary: fc.array(segment, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('/v1/signals/', '/v1/statistics', '/', '//', 'http://[', 'http://localhost/', '*', ''), segment).map(([a, b]) => a + b),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 24 }).map(latin1) },
);

const query = fc.oneof(
  { weight: 3, arbitrary: fc.constant('') },
  {
    weight: 2,
    arbitrary: fc.array(fc.oneof(percent, fc.constantFrom('year=', 'region=', '&', '=', '+', '?', '#')), { maxLength: 6 }).map((p) => `?${p.join('')}`),
  },
);

const method = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('GET', 'POST', 'PATCH', 'HEAD', 'PUT', 'DELETE', 'OPTIONS') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 8 }) },
);

const version = fc.oneof(
  { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
  { weight: 1, arbitrary: fc.constantFrom('HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 x', '') },
);

/** A body announced with one length and sent (often) shorter: an upload cut off. */
const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 1,
    arbitrary: fc.record({
      content: fc.oneof(fc.uint8Array({ maxLength: 64 }).map(latin1), fc.constant('{"observedAt":"2024-01-01","municipality":"GM0106","form":"arbeid"}')),
      missing: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 2, arbitrary: fc.integer({ min: 1, max: 5_000 }) }),
    }),
  },
);

const request = fc.record({
  method,
  path,
  query,
  version,
  withKey: fc.boolean(),
  body,
  /** The request line, whole or as raw bytes with a line end in the middle. */
  rawLine: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 40 }).map(latin1) }),
  /** Half-close after sending (the server must finish), or reset the connection (a client gone). */
  leave: fc.constantFrom('end', 'end', 'end', 'reset'),
});

type Request = typeof request extends fc.Arbitrary<infer T> ? T : never;

function bytesOf(r: Request, key: string): Buffer {
  const line = r.rawLine ?? `${r.method} ${r.path}${r.query} ${r.version}`;
  const headers = ['Host: localhost', ...(r.withKey ? [`Authorization: Bearer ${key}`] : [])];
  if (r.body) headers.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(r.body.content, 'latin1') + r.body.missing}`);
  return Buffer.from(`${line}\r\n${headers.join('\r\n')}\r\n\r\n${r.body?.content ?? ''}`, 'latin1');
}

describe('the local HTTP gateway, fuzzed', () => {
  it(`answers ${RUNS} random requests (or closes their connection), never with a 500, and keeps serving`, async () => {
    const key = stack.key('signals:write');
    const seen = new Map<string, number>();
    const count = (outcome: string) => seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const answer = await rawRequest(stack.ready.apiUrl, bytesOf(r, key), {
          endAfterWrite: r.leave === 'end',
          destroyAfterMs: r.leave === 'reset' ? 20 : undefined,
          timeoutMs: 4_000,
        });
        const title =
          answer.headers['content-type']?.startsWith('application/problem+json') && answer.body ? (JSON.parse(answer.body) as { title?: string }).title : '';
        count(answer.status !== undefined ? `${answer.status} ${title}`.trim() : answer.closed ? 'closed' : 'no answer');
        if (r.leave === 'reset') return; // the client left; what is asked is only that the runner lives on
        expect(answer.timedOut, 'the server neither answered nor closed the connection').toBe(false);
        if (answer.status === undefined) return;
        expect(answer.status).toBeLessThan(500);
        if ([400, 405, 408, 431, 501].includes(answer.status) && r.method !== 'HEAD') {
          expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
          expect(JSON.parse(answer.body)).toMatchObject({ status: answer.status });
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // What the inputs came to, for whoever reads the output: the answers, and why the parser refused.
    for (const [, code] of stack.logs.matchAll(/the HTTP parser could not read \((\w+)\)/g)) count(`(parser: ${code})`);
    console.info(
      `gateway fuzz (seed ${SEED}): ${[...seen]
        .sort()
        .map(([o, n]) => `${o} ×${n}`)
        .join(', ')}`,
    );

    expect(stack.running).toBe(true);
    const response = await fetch(`${stack.ready.apiUrl}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(stack.logs).not.toMatch(/uncaught exception|unhandled rejection|failed in the gateway/);
  }, 180_000);
});
