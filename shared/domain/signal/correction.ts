import * as z from 'zod/mini';
import type { Principal } from '#domain/partners/index.js';
import { placeSignal, provinceMismatch, SignalClassificationSchema } from './classification-schema.js';
import type { SignalStore } from './ports.js';
import type { StoredSignal } from './record.js';
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

/** What a partner may correct after filing: the classification, and withdrawal. */
export const SignalCorrectionSchema = z
  .partial(
    z.strictObject({
      ...ClassificationChangeShape,
      status: z.enum(['ontvangen', 'ingetrokken'], { error: 'Kies ontvangen, of ingetrokken om de melding in te trekken.' }),
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
  | { outcome: 'conflict' };

/** Applies a correction, raising the version so that the aggregator moves the counts. */
export async function applyCorrection(signalId: string, correction: SignalCorrection, principal: Principal, store: SignalStore): Promise<CorrectionResult> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const signal = await findOwnSignal(signalId, principal, store);
    if (!signal) return { outcome: 'not-found' };
    const result = correctSignal(signal, correction, principal);
    if ('field' in result) return { outcome: 'invalid', ...result };
    if (await store.update(signalId, signal.version, result.changes)) {
      return { outcome: 'corrected', signal: signalView({ ...signal, ...result.changes, version: signal.version + 1 }) };
    }
  }
  return { outcome: 'conflict' };
}
