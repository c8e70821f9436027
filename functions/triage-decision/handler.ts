import { recordDecision, type TriageWritePorts, triageSignalNotFound, versionTag } from '#domain/casework/index.js';
import { dataKeyMaker, triageWritePorts } from '../lib/dependencies.js';
import { header, idempotencyKeyOf, jsonResponse, parseBody, problemResponse } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf } from '../lib/signal-path.js';
import { triageDecisionRoute as route } from '../routes.js';

/**
 * POST /v1/triage/signals/{signalId}/decisions: records a decision of the table (signals:triage, in the
 * key's area). The note is encrypted before it is stored and never answered or logged; an Idempotency-Key
 * makes a retry record nothing twice.
 */
export const triageDecisionHandler = (ports: TriageWritePorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const signalId = signalIdOf(event);
    if (!signalId) return problemResponse(triageSignalNotFound());
    const input = parseBody(event, route.body);
    if (!input.ok) return problemResponse(input.problem);
    const idempotencyKey = idempotencyKeyOf(event);
    if (!idempotencyKey.ok) return problemResponse(idempotencyKey.problem);

    const result = await recordDecision(
      { signalId, input: input.value, principal, idempotencyKey: idempotencyKey.value, ifMatch: header(event, 'if-match') },
      ports,
    );
    if (!result.ok) return problemResponse(result.problem);
    const { decision, replayed } = result.result;
    logger.info('decision recorded', { signalId, decisionId: decision.decisionId, replayed, version: result.signal.version, routes: decision.routes });
    return jsonResponse(201, decision, { location: `/v1/triage/signals/${signalId}`, etag: versionTag(result.signal.version) });
  });

export const handler = triageDecisionHandler({ ...triageWritePorts(), dataKeys: dataKeyMaker() });
