import type * as z from 'zod/mini';
import type { Problem } from './problem-schema.js';

export type { Problem };

const TYPE_BASE = 'tag:meldroute.nl,2026:problem/';

export function problem(status: number, slug: string, title: string, detail?: string, errors?: Problem['errors']): Problem {
  return { type: `${TYPE_BASE}${slug}`, title, status, ...(detail && { detail }), ...(errors?.length && { errors }) };
}

function pointer(path: PropertyKey[]): string {
  return `/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;
}

/** Names every bad field; an unknown field gets its own entry, so a client sees exactly what to drop. */
export function validationErrors(error: z.core.$ZodError): NonNullable<Problem['errors']> {
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ pointer: pointer([...issue.path, key]), detail: 'Onbekend veld; dit veld bestaat niet in het formaat.' }))
      : [{ pointer: pointer(issue.path), detail: issue.message }],
  );
}

export function validationProblem(error: z.core.$ZodError, detail = 'Een of meer velden kloppen niet.'): Problem {
  return problem(422, 'validation', 'Ongeldige invoer', detail, validationErrors(error));
}
