import * as z from 'zod/mini';
import type { Problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { placeSignal, provinceMismatch, SignalClassificationSchema } from './classification-schema.js';
import type { SignalStore } from './ports.js';
import type { StoredSignal } from './record.js';
import { SourceTypeSchema, sourceTypeRefusal } from './source-type.js';
import { canPartnerMove, PARTNER_STATUSES, partnerMoveProblem } from './status-moves.js';
import { findOwnSignal, type SignalView, signalView } from './view.js';

/**
 * The classification fields a signal can be changed in after filing, each optional: by the filing partner
 * (a correction) and by the regional table (an enrichment, #domain/casework). Not the person or the text:
 * those are pseudonymised and encrypted, and a change must not bring them back in plain.
 */
export const ClassificationChangeShape = {
  ...z.pick(SignalClassificationSchema, {
    municipality: true,
    province: true,
    exploitationMunicipality: true,
    form: true,
    additionalForms: true,
    sector: true,
  }).shape,
  // Without the default: a change that does not name the type leaves it as it is.
  signalType: SignalClassificationSchema.shape.signalType.def.innerType,
};

/**
 * What a partner may correct after filing: the classification, withdrawal (PARTNER_MOVES says from where), and
 * with signals:source the source type, so that a register's wrong `bron` moves to the right row of the figures.
 */
export const SignalCorrectionSchema = z
  .partial(
    z.strictObject({
      ...ClassificationChangeShape,
      status: z.enum(PARTNER_STATUSES, { error: 'Kies ontvangen, of ingetrokken om de melding in te trekken.' }),
      sourceType: SourceTypeSchema.check(
        z.meta({
          description:
            'Van wie het signaal kwam, verbeterd: de cijfers tellen het voortaan onder dit brontype en niet meer onder het oude. Alleen met een sleutel met de scope signals:source; een andere sleutel krijgt 422 met pointer /sourceType.',
        }),
      ),
    }),
  )
  .check(z.refine((c) => Object.keys(c).length > 0, { error: 'Geef minstens één veld om te corrigeren.' }));
export type SignalCorrection = z.output<typeof SignalCorrectionSchema>;

/** The fields a correction changes, with the signal placed anew; or why it does not fit the signal. */
export function correctSignal(
  signal: StoredSignal,
  correction: SignalCorrection,
  principal: Principal,
): { changes: Partial<StoredSignal> } | { field: string; message: string } {
  const municipality = correction.municipality ?? signal.municipality;
  // A known municipality places itself; an unknown one stays in the province it had unless told otherwise.
  const province = correction.province ?? (signal.province === 'onbekend' ? undefined : signal.province);
  const mismatch = provinceMismatch(municipality, correction.province);
  if (mismatch) return { field: 'province', message: mismatch };
  const { municipality: _m, province: _p, ...rest } = correction;
  return { changes: { ...rest, ...placeSignal({ municipality, province }, { ...principal, region: signal.region }) } };
}

export type CorrectionResult =
  | { outcome: 'corrected'; signal: SignalView }
  | { outcome: 'not-found' }
  | { outcome: 'invalid'; field: string; message: string }
  /** A status move the partner may not make (409): nothing is written, not the other fields either. */
  | { outcome: 'refused'; problem: Problem }
  | { outcome: 'conflict' };

/**
 * Applies a correction, raising the version so that the aggregator moves the counts, and setting
 * `changedAt` as the table's changes do (retention counts from the last change). The status moves only as
 * PARTNER_MOVES allow, decided on the signal as it stands at each attempt; the classification may be
 * corrected in any status, a decided signal's too: the partner knows the facts it filed.
 */
export async function applyCorrection(
  signalId: string,
  correction: SignalCorrection,
  principal: Principal,
  store: SignalStore,
  now: () => Date = () => new Date(),
): Promise<CorrectionResult> {
  // The same rule as at intake: only a key that may state sources (signals:source) may change one.
  const refusal = sourceTypeRefusal(correction, principal)?.[0];
  if (refusal) return { outcome: 'invalid', field: 'sourceType', message: refusal.detail };
  for (let attempt = 0; attempt < 3; attempt++) {
    const signal = await findOwnSignal(signalId, principal, store);
    if (!signal) return { outcome: 'not-found' };
    if (correction.status !== undefined && !canPartnerMove(signal.status, correction.status)) {
      return { outcome: 'refused', problem: partnerMoveProblem(signal.status, correction.status) };
    }
    const result = correctSignal(signal, correction, principal);
    if ('field' in result) return { outcome: 'invalid', ...result };
    const changes = { ...result.changes, changedAt: now().toISOString() };
    if (await store.update(signalId, signal.version, changes)) {
      return { outcome: 'corrected', signal: signalView({ ...signal, ...changes, version: signal.version + 1 }) };
    }
  }
  return { outcome: 'conflict' };
}
