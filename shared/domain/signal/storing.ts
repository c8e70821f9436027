import type { SignalStore } from './ports.js';
import { SignalRecordSchema } from './record.js';

const DAY_SECONDS = 86_400;

/**
 * Stores a queued signal as version 1. A redelivered message finds its signal stored already and
 * stores nothing. A message that is not a valid signal record throws, so it is retried and in the
 * end set aside in the dead-letter queue rather than lost.
 */
export async function storeSignal(body: unknown, store: SignalStore, retentionDays: number): Promise<'stored' | 'duplicate'> {
  const record = SignalRecordSchema.parse(body);
  const expiresAt = Math.floor(Date.parse(record.receivedAt) / 1000) + retentionDays * DAY_SECONDS;
  return store.putIfAbsent({ ...record, version: 1, expiresAt });
}
