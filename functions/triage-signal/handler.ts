import { readTriageSignal, type SignalReadPorts, triageSignalNotFound } from '#domain/casework/index.js';
import { auditLog, linkIndex, signalStore } from '../lib/dependencies.js';
import { jsonResponse, parseQuery, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf } from '../lib/signal-path.js';
import { triageSignalRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals/{signalId} (signals:triage): one signal of the key's area with its history. The
 * look is in the audit log before the answer leaves; when it cannot be logged, nothing is shown.
 */
export const triageSignalHandler = (ports: SignalReadPorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const parsed = parseQuery(event, route.query);
    if (!parsed.ok) return problemResponse(parsed.problem);
    const signalId = signalIdOf(event);
    if (!signalId) return problemResponse(triageSignalNotFound());
    const read = await readTriageSignal(signalId, principal, parsed.value.purpose, ports);
    if (!read.ok) return problemResponse(read.problem);
    return jsonResponse(200, read.value, { 'cache-control': 'private, no-store' });
  });

export const handler = triageSignalHandler({ signals: signalStore(), links: linkIndex(), audit: auditLog() });
