import type { Principal } from '#domain/partners/index.js';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';

/**
 * Whether a signal lies in a triage key's area: its region, and its province when the key is bound to one.
 * A signal whose province is unknown lies only in the region's area, so a province's key does not see it.
 */
export const inArea = (signal: Pick<StoredSignal, 'region' | 'province'>, principal: Pick<Principal, 'region' | 'province'>): boolean =>
  signal.region === principal.region && (principal.province === undefined || signal.province === principal.province);

/** Finds a signal for a triage key; one outside its area does not exist for it (404, never 403: no probing). */
export async function findSignalInArea(signalId: string, principal: Principal, store: SignalStore): Promise<StoredSignal | undefined> {
  const signal = await store.get(signalId);
  return signal && inArea(signal, principal) ? signal : undefined;
}
