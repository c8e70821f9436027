import { type AuditLogReader, readAudit } from '#domain/casework/index.js';
import { auditLog } from '../lib/dependencies.js';
import { jsonResponse, parseQuery, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { auditReadRoute as route } from '../routes.js';

/**
 * GET /v1/audit, for the privacy officer (audit:read): the audit log's entries about one signal or of a
 * period, a page at a time. An entry names who by organisation and key hash, never by key. Not cached on
 * the way: who looked at what is itself protected.
 */
export const auditReadHandler = (reader: AuditLogReader) =>
  authenticatedHandler(route, async (event) => {
    const parsed = parseQuery(event, route.query);
    if (!parsed.ok) return problemResponse(parsed.problem);
    return jsonResponse(200, await readAudit(parsed.value, reader), { 'cache-control': 'private, no-store' });
  });

export const handler = auditReadHandler(auditLog());
