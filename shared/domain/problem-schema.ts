import * as z from 'zod';

/**
 * RFC 9457 problem details, with the bad fields named as JSON pointers: the type of every error answer
 * and its OpenAPI schema. Kept apart from problem.ts, which imports it as a type only, so that a
 * handler answering problems need not load zod.
 */
export const ProblemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
});
export type Problem = z.infer<typeof ProblemSchema>;
