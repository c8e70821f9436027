import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { SignalFieldsSchema, signalRules } from '#domain/signal/index.js';

/** The most signals one batch may carry; the route's body limit is sized for this many long ones. */
export const MAX_BATCH_SIGNALS = 500;

export const BATCH_ITEM_STATUSES = ['accepted', 'duplicate', 'invalid', 'failed'] as const;

/**
 * A signal in a batch: the single route's signal, with its externalId required, since a batch is made safe
 * to send again by the externalId of each signal in it.
 */
export const BatchSignalInputSchema = z
  .extend(SignalFieldsSchema, {
    externalId: z
      .string({
        error: (issue) =>
          issue.input === undefined ? 'Verplicht in een batch: uw eigen id van dit signaal, zodat een herhaalde batch niets dubbel telt.' : undefined,
      })
      .check(z.trim(), z.minLength(1), z.maxLength(100)),
  })
  .check(signalRules);

/** A batch as a partner sends it (for the OpenAPI document; the handler reads the envelope and each signal apart). */
export const SignalBatchSchema = z.strictObject({
  signals: z.array(BatchSignalInputSchema).check(z.minLength(1), z.maxLength(MAX_BATCH_SIGNALS)),
});

/** The envelope alone: each signal is validated by itself, so that the valid ones are taken in beside the invalid. */
export const SignalBatchEnvelopeSchema = z.strictObject({
  signals: z
    .array(z.unknown(), { error: 'Stuur de signalen als lijst: { "signals": [ … ] }.' })
    .check(z.minLength(1, { error: 'Stuur minstens één signaal.' })),
});

const PointedErrorSchema = z.object({ pointer: z.string(), detail: z.string() });

/** The answer to a batch (207): one result per signal, in the order sent, and the number of each status. */
export const SignalBatchResultSchema = z.object({
  results: z.array(
    z.object({
      index: z.int(),
      status: z.enum(BATCH_ITEM_STATUSES),
      signalId: z.optional(z.uuid()),
      errors: z.optional(z.array(PointedErrorSchema)),
    }),
  ),
  accepted: z.int(),
  duplicate: z.int(),
  invalid: z.int(),
  failed: z.int(),
});

export type SignalBatchResult = z.output<typeof SignalBatchResultSchema>;
export type BatchItemResult = SignalBatchResult['results'][number];
