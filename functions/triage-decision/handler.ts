import { recordDecision, type TriageWritePorts, triageSignalNotFound, versionTag } from '#domain/casework/index.js';
import { problem, validationProblem } from '#domain/kernel/index.js';
import { dataKeyMaker, triageWritePorts } from '../lib/dependencies.js';
import { header, jsonResponse, problemResponse, readBody } from '../lib/http.js';
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
    const body = readBody(event, route.body);
    if (!body.ok) return problemResponse(body.problem);
    const parsed = route.body.schema.safeParse(body.value);
    if (!parsed.success) return problemResponse(validationProblem(parsed.error));

    const idempotencyKey = header(event, 'idempotency-key');
    if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
      return problemResponse(problem(400, 'invalid-idempotency-key', 'Ongeldige Idempotency-Key', 'Gebruik 1 tot 255 zichtbare ASCII-tekens.'));
    }

    const result = await recordDecision({ signalId, input: parsed.data, principal, idempotencyKey, ifMatch: header(event, 'if-match') }, ports);
    if (!result.ok) return problemResponse(result.problem);
    const { decision, replayed } = result.result;
    logger.info('decision recorded', { signalId, decisionId: decision.decisionId, replayed, version: result.signal.version, routes: decision.routes });
    return jsonResponse(201, decision, { location: `/v1/triage/signals/${signalId}`, etag: versionTag(result.signal.version) });
  });

export const handler = triageDecisionHandler({ ...triageWritePorts(), dataKeys: dataKeyMaker() });
