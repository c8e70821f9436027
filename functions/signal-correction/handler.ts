import { problem, validationProblem } from '#domain/kernel/index.js';
import { applyCorrection, type SignalStore } from '#domain/signal/index.js';
import { signalStore } from '../lib/dependencies.js';
import { jsonResponse, problemResponse, readBody } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf, signalNotFound } from '../lib/signal-path.js';
import { signalCorrectionRoute as route } from '../routes.js';

/**
 * PATCH /v1/signals/{signalId}: the filing partner corrects the classification or withdraws the signal
 * (or undoes that), the status only as far as the partner may move it: a status move it may not make is a
 * 409 naming the current status and the allowed ones, as the table's is.
 */
export const signalCorrectionHandler = (store: SignalStore, now?: () => Date) =>
  authenticatedHandler(route, async (event, principal) => {
    const signalId = signalIdOf(event);
    if (!signalId) return problemResponse(signalNotFound());
    const body = readBody(event, route.body);
    if (!body.ok) return problemResponse(body.problem);
    const parsed = route.body.schema.safeParse(body.value);
    if (!parsed.success) return problemResponse(validationProblem(parsed.error));

    const result = await applyCorrection(signalId, parsed.data, principal, store, now);
    switch (result.outcome) {
      case 'not-found':
        return problemResponse(signalNotFound());
      case 'invalid':
        return problemResponse(problem(422, 'validation', 'Ongeldige invoer', result.message, [{ pointer: `/${result.field}`, detail: result.message }]));
      case 'refused':
        return problemResponse(result.problem);
      case 'conflict':
        return problemResponse(problem(409, 'conflict', 'Conflict', 'De melding werd tegelijk gewijzigd; probeer het opnieuw.'));
      case 'corrected':
        logger.info('signal corrected', { signalId, version: result.signal.version, fields: Object.keys(parsed.data) });
        return jsonResponse(200, result.signal);
    }
  });

export const handler = signalCorrectionHandler(signalStore());
