import { acceptSignal } from '#domain/intake/index.js';
import { problem } from '#domain/kernel/index.js';
import { sourceTypeOf } from '#domain/signal/index.js';
import { intakePorts } from '../lib/dependencies.js';
import { idempotencyKeyOf, jsonResponse, parseBody, problemResponse } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { countAccepted } from '../lib/metrics.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalsIntakeRoute as route } from '../routes.js';

const ports = intakePorts();

/** POST /v1/signals: a partner system reports a signal. */
export const handler = authenticatedHandler(route, async (event, principal) => {
  const input = parseBody(event, route.body);
  if (!input.ok) return problemResponse(input.problem);
  const idempotencyKey = idempotencyKeyOf(event);
  if (!idempotencyKey.ok) return problemResponse(idempotencyKey.problem);

  const result = await acceptSignal({ input: input.value, principal, channel: 'api', idempotencyKey: idempotencyKey.value }, ports);
  // 422, not 403: the key may file signals (the route's scope); this field of this body is what it may not send.
  if (result.outcome === 'refused') return problemResponse(problem(422, 'validation', 'Ongeldige invoer', 'Een of meer velden kloppen niet.', result.errors));
  if (result.outcome === 'conflict') {
    const which = result.reason === 'idempotency-key' ? 'Idempotency-Key' : 'externalId';
    return problemResponse(problem(409, 'conflict', 'Conflict', `Deze ${which} is al gebruikt voor een andere melding.`));
  }
  logger.info('signal accepted', { signalId: result.signalId, replayed: result.replayed, organisation: principal.organisation });
  if (!result.replayed) countAccepted('api', sourceTypeOf(input.value, principal));
  return jsonResponse(202, { signalId: result.signalId, status: 'received' }, { location: `/v1/signals/${result.signalId}` });
});
