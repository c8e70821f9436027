import * as z from 'zod/mini';

/**
 * RFC 9457 problem details, with the bad fields named as JSON pointers: the type of every error answer
 * and its OpenAPI schema. Kept apart from problem.ts, which imports it as a type only, so that a
 * handler answering problems need not load zod.
 */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.int(),
  detail: z.optional(z.string()),
  /** Which occurrence: names the request, so that its log lines can be found. */
  instance: z.optional(z.string()),
  errors: z.optional(z.array(z.object({ pointer: z.string(), detail: z.string() }))),
});
export type Problem = z.infer<typeof ProblemSchema>;
