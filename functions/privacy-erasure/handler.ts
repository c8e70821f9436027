import { type ErasurePorts, erasePerson } from '#domain/casework/erasure/index.js';
import { erasurePorts } from '../lib/dependencies.js';
import { jsonResponse, parseBody, problemResponse } from '../lib/http.js';
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
    const input = parseBody(event, route.body);
    if (!input.ok) return problemResponse(input.problem);

    const outcome = await erasePerson(input.value, principal, ports);
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
