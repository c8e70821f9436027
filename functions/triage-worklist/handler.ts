import { readWorklist, type WorklistPorts } from '#domain/casework/index.js';
import { validationProblem } from '#domain/kernel/index.js';
import { linkIndex, worklistIndex } from '../lib/dependencies.js';
import { jsonResponse, problemResponse, queryParameters } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { triageWorklistRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals (signals:triage): the table's worklist, within the key's area. It shows no person
 * and no free text, so a listing is not an entry in the audit log; opening a signal is.
 */
export const triageWorklistHandler = (ports: WorklistPorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const parsed = route.query.safeParse(queryParameters(event));
    if (!parsed.success) return problemResponse(validationProblem(parsed.error, 'Een of meer zoekparameters kloppen niet.'));
    return jsonResponse(200, await readWorklist(parsed.data, principal, ports), { 'cache-control': 'private, no-store' });
  });

export const handler = triageWorklistHandler({ worklist: worklistIndex(), links: linkIndex() });
