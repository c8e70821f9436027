import { describe, expect, it } from 'vitest';
import { acceptSignal, type IntakePorts } from '#domain/intake/index.js';
import type { Principal } from '#domain/partners/index.js';
import type { PseudonymKey } from '#domain/privacy/index.js';
import { SignalInputSchema } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';

const principal: Principal = { organisation: 'Politie Noord-Nederland', sourceType: 'politie', scopes: ['signals:write'], region: 'noord-nederland' };
const rotated: PseudonymKey = { keyId: 'test-2', secret: Buffer.alloc(32, 9) };
const input = (form = 'arbeid') => SignalInputSchema.parse({ observedAt: '2023-03-14', municipality: 'GM0114', form, externalId: 'PNN-1' });

/** One claims store, first under the old key, then under the new one with the old kept for matching. */
function beforeAndAfter(keepPrevious = true) {
  const claims = new MemoryClaims();
  const common = { queue: new MemoryQueue(), claims, dataKeys: new MemoryDataKeys() };
  const before: IntakePorts = { ...common, pseudonymKeys: { current: async () => testKey } };
  const after: IntakePorts = { ...common, pseudonymKeys: { current: async () => rotated, ...(keepPrevious && { previous: async () => [testKey] }) } };
  return { before, after };
}

describe('acceptSignal across a rotation of the pseudonymisation key', () => {
  it('recognises a retry (same externalId and Idempotency-Key, same body) first sent before the rotation', async () => {
    const { before, after } = beforeAndAfter();
    const first = await acceptSignal({ input: input(), principal, channel: 'api', idempotencyKey: 'k-1' }, before);
    const retry = await acceptSignal({ input: input(), principal, channel: 'api', idempotencyKey: 'k-1' }, after);
    expect(retry).toEqual({ outcome: 'accepted', signalId: (first as { signalId: string }).signalId, replayed: true });
  });

  it('claims the retry under the new key as well, so a later retry needs no look-up under the old one', async () => {
    const { before, after } = beforeAndAfter();
    const first = await acceptSignal({ input: input(), principal, channel: 'api' }, before);
    await acceptSignal({ input: input(), principal, channel: 'api' }, after);
    const withoutHistory = { ...after, pseudonymKeys: { current: async () => rotated } };
    const again = await acceptSignal({ input: input(), principal, channel: 'api' }, withoutHistory);
    expect(again).toMatchObject({ signalId: (first as { signalId: string }).signalId, replayed: true });
  });

  it('still refuses another body under an externalId used before the rotation', async () => {
    const { before, after } = beforeAndAfter();
    await acceptSignal({ input: input('arbeid'), principal, channel: 'api' }, before);
    expect(await acceptSignal({ input: input('seksueel'), principal, channel: 'api' }, after)).toEqual({ outcome: 'conflict', reason: 'external-id' });
  });

  it('would take the retry for a new signal without the previous key (why the key is kept)', async () => {
    const { before, after } = beforeAndAfter(false);
    const first = await acceptSignal({ input: input(), principal, channel: 'api' }, before);
    const retry = await acceptSignal({ input: input(), principal, channel: 'api' }, after);
    expect(retry).toMatchObject({ replayed: false });
    expect((retry as { signalId: string }).signalId).not.toBe((first as { signalId: string }).signalId);
  });
});
