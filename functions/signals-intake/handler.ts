import { acceptSignal, sourceTypeOf } from '#domain/intake/index.js';
import { problem, validationProblem } from '#domain/kernel/index.js';
import { intakePorts } from '../lib/dependencies.js';
import { header, jsonResponse, problemResponse, readBody } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { countAccepted } from '../lib/metrics.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalsIntakeRoute as route } from '../routes.js';

const ports = intakePorts();

/** POST /v1/signals: a partner system reports a signal. */
export const handler = authenticatedHandler(route, async (event, principal) => {
  const body = readBody(event, route.body);
  if (!body.ok) return problemResponse(body.problem);
  const parsed = route.body.schema.safeParse(body.value);
  if (!parsed.success) return problemResponse(validationProblem(parsed.error));

  const idempotencyKey = header(event, 'idempotency-key');
  if (idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(idempotencyKey)) {
    return problemResponse(problem(400, 'invalid-idempotency-key', 'Ongeldige Idempotency-Key', 'Gebruik 1 tot 255 zichtbare ASCII-tekens.'));
  }

  const result = await acceptSignal({ input: parsed.data, principal, channel: 'api', idempotencyKey }, ports);
  // 422, not 403: the key may file signals (the route's scope); this field of this body is what it may not send.
  if (result.outcome === 'refused') return problemResponse(problem(422, 'validation', 'Ongeldige invoer', 'Een of meer velden kloppen niet.', result.errors));
  if (result.outcome === 'conflict') {
    const which = result.reason === 'idempotency-key' ? 'Idempotency-Key' : 'externalId';
    return problemResponse(problem(409, 'conflict', 'Conflict', `Deze ${which} is al gebruikt voor een andere melding.`));
  }
  logger.info('signal accepted', { signalId: result.signalId, replayed: result.replayed, organisation: principal.organisation });
  if (!result.replayed) countAccepted('api', sourceTypeOf(parsed.data, principal));
  return jsonResponse(202, { signalId: result.signalId, status: 'received' }, { location: `/v1/signals/${result.signalId}` });
});
