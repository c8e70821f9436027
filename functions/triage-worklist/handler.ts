import { readWorklist, type WorklistPorts } from '#domain/casework/index.js';
import { linkIndex, worklistIndex } from '../lib/dependencies.js';
import { jsonResponse, parseQuery, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { triageWorklistRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals (signals:triage): the table's worklist, within the key's area. It shows no person
 * and no free text, so a listing is not an entry in the audit log; opening a signal is.
 */
export const triageWorklistHandler = (ports: WorklistPorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const parsed = parseQuery(event, route.query);
    if (!parsed.ok) return problemResponse(parsed.problem);
    return jsonResponse(200, await readWorklist(parsed.value, principal, ports), { 'cache-control': 'private, no-store' });
  });

export const handler = triageWorklistHandler({ worklist: worklistIndex(), links: linkIndex() });
