import type { SignalStore } from './ports.js';
import { SignalRecordSchema } from './record.js';

/**
 * Stores a queued signal as version 1. A redelivered message finds its signal stored already and
 * stores nothing. A message that is not a valid signal record throws, so it is retried and in the
 * end set aside in the dead-letter queue rather than lost.
 *
 * Without an expiry (`expiresAt`): the signal's personal fields are stripped when its retention has passed
 * (#domain/casework/erasure), and its classification stays, so that the counts can be made again from it.
 */
export async function storeSignal(body: unknown, store: SignalStore): Promise<'stored' | 'duplicate'> {
  const record = SignalRecordSchema.parse(body);
  return store.putIfAbsent({ ...record, version: 1 });
}
