import * as z from 'zod/mini';
import type { Principal } from '#domain/partners/index.js';
import type { SignalStore } from './ports.js';
import { SignalRecordSchema, type StoredSignal } from './record.js';

/** What a partner sees of a signal it filed: its classification, source type and status, nothing about the person. */
export const SignalViewSchema = z.object({
  ...z.pick(SignalRecordSchema, {
    signalId: true,
    status: true,
    receivedAt: true,
    channel: true,
    observedAt: true,
    municipality: true,
    province: true,
    exploitationMunicipality: true,
    form: true,
    additionalForms: true,
    signalType: true,
    sector: true,
    sourceType: true,
  }).shape,
  version: z.int().check(z.positive()),
});
export type SignalView = z.infer<typeof SignalViewSchema>;

/** The view derives from its schema, which keeps only the fields it names. */
export function signalView(signal: StoredSignal): SignalView {
  return SignalViewSchema.parse(signal);
}

/** Finds a signal for the organisation that filed it; another organisation's signal does not exist for it. */
export async function findOwnSignal(signalId: string, principal: Principal, store: SignalStore): Promise<StoredSignal | undefined> {
  const signal = await store.get(signalId);
  return signal && signal.organisation === principal.organisation ? signal : undefined;
}
