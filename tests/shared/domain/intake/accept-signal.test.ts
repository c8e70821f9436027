import { describe, expect, it } from 'vitest';
import { acceptSignal, type IntakePorts } from '#domain/intake/index.js';
import type { Principal } from '#domain/partners/index.js';
import { decryptText } from '#domain/privacy/index.js';
import { SignalInputSchema, SignalRecordSchema } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';

const principal: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };

function setup() {
  const queue = new MemoryQueue();
  const dataKeys = new MemoryDataKeys();
  const ports: IntakePorts = { queue, claims: new MemoryClaims(), dataKeys, pseudonymKeys: { current: async () => testKey } };
  return { queue, dataKeys, ports };
}

const input = (extra: object = {}) =>
  SignalInputSchema.parse({
    observedAt: '2023-03-14',
    municipality: 'GM0114',
    form: 'arbeid',
    subject: { name: 'Jan de Vries', dateOfBirth: '1980-02-03', bsn: '111222333', phone: '0612345678', email: 'jan@example.nl' },
    description: 'Slaapt in de loods',
    ...extra,
  });

describe('acceptSignal', () => {
  it('enqueues a valid record with source type and organisation from the key, not the body', async () => {
    const { queue, ports } = setup();
    const result = await acceptSignal({ input: input(), principal, channel: 'api' }, ports);
    expect(result).toMatchObject({ outcome: 'accepted', replayed: false });
    const record = SignalRecordSchema.parse(queue.sent[0]);
    expect(record).toMatchObject({
      organisation: 'Gemeente Emmen',
      sourceType: 'gemeente',
      channel: 'api',
      province: 'DR',
      region: 'noord-nederland',
      status: 'ontvangen',
    });
  });

  it('records whether minors seem involved as the partner says it, and refuses an answer it does not know', async () => {
    const { queue, ports } = setup();
    await acceptSignal({ input: input({ minorsSuspected: 'ja' }), principal, channel: 'api' }, ports);
    expect(SignalRecordSchema.parse(queue.sent[0]).minorsSuspected).toBe('ja');
    expect(SignalInputSchema.safeParse({ observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid', minorsSuspected: 'misschien' }).success).toBe(false);
  });

  it('puts no identifier, birth date or free text on the queue, and the text can be decrypted', async () => {
    const { queue, dataKeys, ports } = setup();
    await acceptSignal({ input: input(), principal, channel: 'api' }, ports);
    const text = JSON.stringify(queue.sent[0]);
    for (const plain of ['Jan de Vries', 'Vries', '1980-02-03', '111222333', '612345678', 'jan@example.nl', 'loods']) expect(text).not.toContain(plain);
    expect(await decryptText(queue.sent[0]!.description!, dataKeys)).toBe('Slaapt in de loods');
  });

  it('answers a retry with the same Idempotency-Key and body with the same id', async () => {
    const { ports } = setup();
    const first = await acceptSignal({ input: input(), principal, channel: 'api', idempotencyKey: 'k1' }, ports);
    const again = await acceptSignal({ input: input(), principal, channel: 'api', idempotencyKey: 'k1' }, ports);
    expect(again).toEqual({ outcome: 'accepted', signalId: (first as { signalId: string }).signalId, replayed: true });
  });

  it('answers a retry with the same externalId with the same id', async () => {
    const { queue, ports } = setup();
    const first = await acceptSignal({ input: input({ externalId: 'E-1' }), principal, channel: 'api' }, ports);
    const again = await acceptSignal({ input: input({ externalId: 'E-1' }), principal, channel: 'api' }, ports);
    expect(again).toMatchObject({ signalId: (first as { signalId: string }).signalId, replayed: true });
    // Sent again, so a crash between claim and send loses nothing; the consumer stores it once.
    expect(queue.sent.map((r) => r.signalId)).toEqual([queue.sent[0]!.signalId, queue.sent[0]!.signalId]);
  });

  it('refuses the same Idempotency-Key with another body as a conflict', async () => {
    const { ports } = setup();
    await acceptSignal({ input: input(), principal, channel: 'api', idempotencyKey: 'k1' }, ports);
    expect(await acceptSignal({ input: input({ form: 'seksueel' }), principal, channel: 'api', idempotencyKey: 'k1' }, ports)).toEqual({
      outcome: 'conflict',
      reason: 'idempotency-key',
    });
  });

  it('refuses the same externalId with another body as a conflict', async () => {
    const { ports } = setup();
    await acceptSignal({ input: input({ externalId: 'E-1' }), principal, channel: 'api' }, ports);
    expect(await acceptSignal({ input: input({ externalId: 'E-1', form: 'crimineel' }), principal, channel: 'api' }, ports)).toMatchObject({
      outcome: 'conflict',
      reason: 'external-id',
    });
  });

  it('keeps the keys of different partners apart', async () => {
    const { ports } = setup();
    const a = await acceptSignal({ input: input({ externalId: 'E-1' }), principal, channel: 'api' }, ports);
    const b = await acceptSignal({ input: input({ externalId: 'E-1' }), principal: { ...principal, organisation: 'Politie' }, channel: 'api' }, ports);
    expect(b).toMatchObject({ outcome: 'accepted', replayed: false });
    expect((a as { signalId: string }).signalId).not.toBe((b as { signalId: string }).signalId);
  });

  it('places an unknown municipality in the given province, else in the partner region with province onbekend', async () => {
    const { queue, ports } = setup();
    await acceptSignal({ input: input({ municipality: 'onbekend', province: 'FR' }), principal, channel: 'api' }, ports);
    await acceptSignal({ input: input({ municipality: 'onbekend' }), principal, channel: 'api' }, ports);
    expect(queue.sent.map((r) => [r.municipality, r.province, r.region])).toEqual([
      ['onbekend', 'FR', 'noord-nederland'],
      ['onbekend', 'onbekend', 'noord-nederland'],
    ]);
  });

  it('stores the partner reference only as a pseudonym', async () => {
    const { queue, ports } = setup();
    await acceptSignal({ input: input({ externalId: 'Casus Jan de Vries' }), principal, channel: 'api' }, ports);
    expect(queue.sent[0]!.externalRef).toMatch(/^[a-f0-9]{64}$/);
    expect(JSON.stringify(queue.sent[0])).not.toContain('Casus');
  });
});

describe('acceptSignal: the legal basis', () => {
  it("gives the record its key's legal basis, the signal's own when it states one, and none when neither has one", async () => {
    const { queue, ports } = setup();
    const keyed: Principal = { ...principal, legalBasis: 'meldcode' };
    await acceptSignal({ input: input(), principal: keyed, channel: 'api' }, ports);
    await acceptSignal({ input: input({ legalBasis: 'toestemming' }), principal: keyed, channel: 'api' }, ports);
    await acceptSignal({ input: input(), principal, channel: 'api' }, ports);
    expect(queue.sent.map((record) => record.legalBasis)).toEqual(['meldcode', 'toestemming', undefined]);
    for (const record of queue.sent) expect(SignalRecordSchema.safeParse(record).success).toBe(true);
  });

  it('leaves out a legal basis the record would refuse, rather than queue a signal the consumer cannot store', async () => {
    const { queue, ports } = setup();
    await acceptSignal({ input: input(), principal: { ...principal, legalBasis: 'zomaar' as never }, channel: 'api' }, ports);
    expect(queue.sent[0]).not.toHaveProperty('legalBasis');
    expect(SignalRecordSchema.safeParse(queue.sent[0]).success).toBe(true);
  });
});
