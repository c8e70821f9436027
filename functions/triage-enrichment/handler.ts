import { enrichSignal, type TriageWritePorts, triageSignalNotFound, versionTag } from '#domain/casework/index.js';
import { triageWritePorts } from '../lib/dependencies.js';
import { header, jsonResponse, parseBody, problemResponse } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf } from '../lib/signal-path.js';
import { triageEnrichmentRoute as route } from '../routes.js';

/**
 * PATCH /v1/triage/signals/{signalId}: the table fills in or changes a signal's classification or status
 * (signals:triage, in the key's area), with If-Match for the version it read. The change and its audit
 * entry are written together.
 */
export const triageEnrichmentHandler = (ports: TriageWritePorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const signalId = signalIdOf(event);
    if (!signalId) return problemResponse(triageSignalNotFound());
    const input = parseBody(event, route.body);
    if (!input.ok) return problemResponse(input.problem);

    const result = await enrichSignal(signalId, input.value, principal, header(event, 'if-match'), ports);
    if (!result.ok) return problemResponse(result.problem);
    // Field names only: the values are classification, but a log line carries ids and codes, nothing more.
    logger.info('signal enriched', { signalId, version: result.signal.version, written: result.written, fields: Object.keys(input.value) });
    return jsonResponse(200, result.result, { etag: versionTag(result.signal.version) });
  });

export const handler = triageEnrichmentHandler(triageWritePorts());
