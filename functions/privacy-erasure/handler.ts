import { type ErasurePorts, erasePerson } from '#domain/casework/erasure/index.js';
import { validationProblem } from '#domain/kernel/index.js';
import { erasurePorts } from '../lib/dependencies.js';
import { jsonResponse, problemResponse, readBody } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { privacyErasureRoute as route } from '../routes.js';

/**
 * POST /v1/privacy/erasures, for the privacy officer (privacy:erase): a person's request for erasure carried
 * out on every signal of theirs. The identifiers in the body are pseudonymised in erasePerson and go no
 * further: never logged (only counts and signal ids are), never stored.
 */
export const privacyErasureHandler = (ports: ErasurePorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const body = readBody(event, route.body);
    if (!body.ok) return problemResponse(body.problem);
    const parsed = route.body.schema.safeParse(body.value);
    if (!parsed.success) return problemResponse(validationProblem(parsed.error));

    const outcome = await erasePerson(parsed.data, principal, ports);
    if (!outcome.ok) return problemResponse(outcome.problem);
    logger.info('person erased', {
      organisation: principal.organisation,
      erased: outcome.result.erased,
      signalIds: outcome.result.signalIds,
      orphanEntries: outcome.orphanEntries,
    });
    return jsonResponse(200, outcome.result, { 'cache-control': 'no-store' });
  });

export const handler = privacyErasureHandler(erasurePorts());
