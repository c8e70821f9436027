import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BodyResult, type HttpEvent, readBody } from '../../../functions/lib/http.js';

const route = { schema: {} as never, component: 'X', mediaTypes: ['application/json', 'application/x-www-form-urlencoded'] as const, maxBytes: 16_384 };
const FORM = 'application/x-www-form-urlencoded';
const post = (contentType: string, body: string, isBase64Encoded = false) =>
  readBody({ headers: { 'content-type': contentType }, body, isBase64Encoded } as unknown as HttpEvent, route);

/** A form read is a prototype-free object of strings; anything else is a problem the client caused. */
function expectFormOrProblem(result: BodyResult) {
  if (!result.ok) {
    expect(result.problem.status).toBeGreaterThanOrEqual(400);
    expect(result.problem.status).toBeLessThan(500);
    return;
  }
  expect(Object.getPrototypeOf(result.value)).toBeNull();
  for (const value of Object.values(result.value as object)) expect(typeof value).toBe('string');
}

// Pieces a hostile or broken form is made of: escapes good and bad, separators, names that are special to objects.
const piece = fc.constantFrom(
  '%',
  '%F',
  '%FF',
  '%C3',
  '%A9',
  '%C3%A9',
  '%E2%82',
  '%EF%BB%BF',
  '%25',
  '%zz',
  '%00',
  '+',
  '&',
  '=',
  'a',
  'form',
  '__proto__',
  'constructor',
  '[x]',
  'é',
  '\uFFFD',
  '\uD800',
  '\uDC00',
  '😀',
  ' ',
);

describe('readBody on random input', () => {
  it('random bytes as a form: a prototype-free object of strings, or a 4xx problem; never a throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => expectFormOrProblem(post(FORM, Buffer.from(bytes).toString('base64'), true))));
  });

  it('random bytes as JSON: a value, or a 4xx problem; never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const result = post('application/json', Buffer.from(bytes).toString('base64'), true);
        if (!result.ok) expect(result.problem.status).toBe(400);
      }),
    );
  });

  it('random urlencoded strings, as text and as base64: a prototype-free object of strings, or a 4xx problem', () => {
    const text = fc.oneof(fc.string({ unit: piece, maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 60 }));
    fc.assert(
      fc.property(text, (body) => {
        expectFormOrProblem(post(FORM, body));
        expectFormOrProblem(post(FORM, Buffer.from(body, 'utf8').toString('base64'), true));
      }),
    );
  });

  it('reads back exactly what a browser encodes: any names and values, each name once', () => {
    const fields = fc.uniqueArray(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 40 })), {
      selector: ([name]) => name,
      maxLength: 8,
    });
    fc.assert(
      fc.property(fields, (pairs) => {
        const result = post(FORM, new URLSearchParams(pairs).toString());
        if (!result.ok) throw new Error(`${result.problem.title}: ${result.problem.detail}`);
        expect(Object.entries(result.value as object)).toEqual(pairs);
      }),
    );
  });
});
