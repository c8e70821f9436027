import { acceptBatch, type BatchIntakePorts, MAX_BATCH_SIGNALS, readBatchEnvelope, type SignalBatchResult } from '#domain/intake/index.js';
import { problem, validationProblem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { sourceTypeOf } from '#domain/signal/index.js';
import { batchIntakePorts } from '../lib/dependencies.js';
import { jsonResponse, problemResponse, readBody } from '../lib/http.js';
import { logger } from '../lib/logger.js';
import { countAccepted } from '../lib/metrics.js';
import { authenticatedHandler, RETRY_AFTER_SECONDS } from '../lib/middleware.js';
import { signalsBatchRoute as route } from '../routes.js';

const tooLarge = () =>
  problem(
    413,
    'payload-too-large',
    'Batch te groot',
    `Een batch is hoogstens ${route.body.maxBytes / 1024} KB, genoeg voor ${MAX_BATCH_SIGNALS} signalen met een lange beschrijving. Verdeel de signalen over meer batches.`,
  );

const tooMany = (count: number) =>
  problem(
    413,
    'payload-too-large',
    'Te veel signalen',
    `Een batch bevat hoogstens ${MAX_BATCH_SIGNALS} signalen; deze bevat er ${count}. Verdeel de signalen over meer batches.`,
    [{ pointer: '/signals', detail: `Hoogstens ${MAX_BATCH_SIGNALS} signalen per batch.` }],
  );

const nothingQueued = () =>
  problem(
    503,
    'unavailable',
    'Tijdelijk niet beschikbaar',
    `Geen enkel signaal kon worden verwerkt. Stuur de batch over ${RETRY_AFTER_SECONDS} seconden opnieuw: niets telt dubbel.`,
  );

/** The batch's new signals by the source type each counts under: a register's key states it per signal. */
function acceptedBySourceType(signals: readonly unknown[], answer: SignalBatchResult, principal: Principal): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { index, status } of answer.results) {
    if (status !== 'accepted') continue;
    const sourceType = sourceTypeOf(signals[index] as { sourceType?: string }, principal);
    counts.set(sourceType, (counts.get(sourceType) ?? 0) + 1);
  }
  return counts;
}

/** POST /v1/signals/batch: a partner system reports up to 500 signals at once, each with its own externalId. */
export const signalsBatchHandler = (ports: BatchIntakePorts) =>
  authenticatedHandler(route, async (event, principal) => {
    const body = readBody(event, route.body);
    if (!body.ok) return problemResponse(body.problem.status === 413 ? tooLarge() : body.problem);
    const envelope = readBatchEnvelope(body.value);
    if (envelope.outcome === 'invalid') return problemResponse(validationProblem(envelope.error, 'Stuur de signalen als { "signals": [ … ] }.'));
    if (envelope.outcome === 'too-many') return problemResponse(tooMany(envelope.count));

    const answer = await acceptBatch(envelope.signals, principal, ports);
    const { accepted, duplicate, invalid, failed } = answer;
    logger.info('signal batch taken in', { organisation: principal.organisation, accepted, duplicate, invalid, failed });
    for (const [sourceType, count] of acceptedBySourceType(envelope.signals, answer, principal)) countAccepted('api', sourceType, count);
    // A 207 promises each signal it reports accepted or duplicate; with none of them on the queue it would promise nothing.
    if (failed > 0 && accepted + duplicate === 0) return problemResponse(nothingQueued(), { 'retry-after': String(RETRY_AFTER_SECONDS) });
    return jsonResponse(207, answer, failed > 0 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {});
  });

export const handler = signalsBatchHandler(batchIntakePorts());
