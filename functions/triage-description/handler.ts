import { type DescriptionReadPorts, readDescription, triageSignalNotFound } from '#domain/casework/index.js';
import { validationProblem } from '#domain/kernel/index.js';
import { auditLog, dataKeyOpener, signalStore } from '../lib/dependencies.js';
import { jsonResponse, problemResponse, queryParameters } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf } from '../lib/signal-path.js';
import { triageDescriptionRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals/{signalId}/description?purpose=… (signals:triage): the free text, decrypted once
 * the read and its purpose are in the audit log. No purpose, or one with personal data: 422, nothing logged.
 * The text is in the answer only: never logged, never cached on the way.
 */
export const triageDescriptionHandler = (ports: DescriptionReadPorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const parsed = route.query.safeParse(queryParameters(event));
    if (!parsed.success) return problemResponse(validationProblem(parsed.error, 'Geef een doel op, zonder persoonsgegevens.'));
    const signalId = signalIdOf(event);
    if (!signalId) return problemResponse(triageSignalNotFound());
    const read = await readDescription(signalId, principal, parsed.data.purpose, ports);
    if (!read.ok) return problemResponse(read.problem);
    return jsonResponse(200, read.value, { 'cache-control': 'private, no-store' });
  });

export const handler = triageDescriptionHandler({ signals: signalStore(), audit: auditLog(), dataKeys: dataKeyOpener() });
