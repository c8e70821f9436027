import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { problem, validationProblem } from '#domain/kernel/index.js';

describe('problem details', () => {
  it('has type, title and status, and leaves out empty members', () => {
    expect(problem(401, 'unauthorized', 'Niet geautoriseerd')).toEqual({
      type: 'tag:meldroute.nl,2026:problem/unauthorized',
      title: 'Niet geautoriseerd',
      status: 401,
    });
  });

  it('names each bad field as a JSON pointer, escaping / and ~', () => {
    const result = z.strictObject({ 'a/b': z.number(), list: z.array(z.string()) }).safeParse({ 'a/b': 'x', list: [1], 'c~d': 1 });
    expect(validationProblem(result.error!).errors!.map((e) => e.pointer)).toEqual(['/a~1b', '/list/0', '/c~0d']);
  });
});
