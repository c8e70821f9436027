import { problem } from '#domain/kernel/index.js';
import { applyCorrection, type SignalStore } from '#domain/signal/index.js';
import { signalStore } from '../lib/dependencies.js';
import { jsonResponse, parseBody, problemResponse } from '../lib/http.js';
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
    const input = parseBody(event, route.body);
    if (!input.ok) return problemResponse(input.problem);

    const result = await applyCorrection(signalId, input.value, principal, store, now);
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
        logger.info('signal corrected', { signalId, version: result.signal.version, fields: Object.keys(input.value) });
        return jsonResponse(200, result.signal);
    }
  });

export const handler = signalCorrectionHandler(signalStore());
