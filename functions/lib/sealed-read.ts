import type * as z from 'zod/mini';
import type { TriageReadResult } from '#domain/casework/index.js';
import type { Problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { HttpRoute } from '../routes.js';
import { type HttpEvent, jsonResponse, parseQuery, problemResponse } from './http.js';
import { authenticatedHandler } from './middleware.js';

/** A route that reads encrypted text on a stated purpose: its query holds the purpose. */
export type SealedReadRoute = Pick<HttpRoute, 'permission'> & { query: z.ZodMiniType<{ purpose: string }> };

/**
 * A GET that answers an encrypted text on a stated purpose (…/description, …/note): no purpose, or one with
 * personal data, is a 422 with nothing logged or read; `read` logs the look and decrypts (or answers its
 * problem). The text is in the answer only: never logged, never cached on the way.
 */
export const sealedReadHandler = <T>(route: SealedReadRoute, read: (event: HttpEvent, principal: Principal, purpose: string) => Promise<TriageReadResult<T>>) =>
  authenticatedHandler(route, async (event, principal) => {
    const parsed = parseQuery(event, route.query, 'Geef een doel op, zonder persoonsgegevens.');
    if (!parsed.ok) return problemResponse(parsed.problem);
    const answer = await read(event, principal, parsed.value.purpose);
    if (!answer.ok) return problemResponse(answer.problem);
    return jsonResponse(200, answer.value, { 'cache-control': 'private, no-store' });
  });

/** A path id that is no UUID: the route's 404, with nothing read. */
export const refused = (problem: Problem): Promise<TriageReadResult<never>> => Promise.resolve({ ok: false, problem });
