import { describe, expect, it } from 'vitest';
import { acceptSignal, type IntakePorts } from '#domain/intake/index.js';
import type { Principal } from '#domain/partners/index.js';
import { decryptText } from '#domain/privacy/index.js';
import { SignalInputSchema } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';

const principal: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };
const input = SignalInputSchema.parse({
  externalId: 'zaak-1',
  observedAt: '2023-03-14',
  municipality: 'GM0114',
  form: 'arbeid',
  description: 'Slaapt in de loods',
});

/** Claims that answer only when released, and data keys that note when they are asked. */
function slowClaims() {
  const events: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const claims = new MemoryClaims();
  const claim = claims.claim.bind(claims);
  claims.claim = async (c) => {
    events.push('claim started');
    await released;
    events.push('claim written');
    return claim(c);
  };
  const dataKeys = new MemoryDataKeys();
  const generate = dataKeys.generateDataKey.bind(dataKeys);
  dataKeys.generateDataKey = async () => {
    events.push('data key');
    return generate();
  };
  return { events, release, claims, dataKeys };
}

describe('acceptSignal, its round trips', () => {
  it('asks for the data key while the claim is being written, not after it', async () => {
    const { events, release, claims, dataKeys } = slowClaims();
    const queue = new MemoryQueue();
    const ports: IntakePorts = { queue, claims, dataKeys, pseudonymKeys: { current: async () => testKey } };
    const accepted = acceptSignal({ input, principal, channel: 'api' }, ports);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events.sort()).toEqual(['claim started', 'data key']);
    release();
    expect(await accepted).toMatchObject({ outcome: 'accepted' });
    expect(await decryptText(queue.sent[0]!.description!, dataKeys)).toBe('Slaapt in de loods');
  });

  it('reports a failed claim as the failure, with nothing queued, even when the encryption fails too', async () => {
    const queue = new MemoryQueue();
    const claims = new MemoryClaims();
    claims.claim = async () => {
      throw Object.assign(new Error('claims table unavailable'), { name: 'TimeoutError' });
    };
    const dataKeys = new MemoryDataKeys();
    dataKeys.generateDataKey = async () => {
      throw new Error('KMS unavailable');
    };
    const ports: IntakePorts = { queue, claims, dataKeys, pseudonymKeys: { current: async () => testKey } };
    await expect(acceptSignal({ input, principal, channel: 'api' }, ports)).rejects.toThrow('claims table unavailable');
    expect(queue.sent).toEqual([]);
  });
});
