import { describe, expect, it } from 'vitest';
import { acceptBatch, acceptSignal, type BatchIntakePorts, BatchSignalInputSchema, type IntakePorts } from '#domain/intake/index.js';
import { issuePartnerKey, type Principal } from '#domain/partners/index.js';
import { SignalInputSchema, SignalRecordSchema, sourceTypeOf } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';

/** A regional register's key: it files signals (overig) and may say per signal from whom it came. */
const register: Principal = {
  organisation: 'Ketenregisseur Drenthe',
  sourceType: 'overig',
  scopes: ['signals:write', 'signals:source'],
  region: 'noord-nederland',
};
const municipality: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };

function setup() {
  const queue = new MemoryQueue();
  const ports: BatchIntakePorts & IntakePorts = {
    queue,
    claims: new MemoryClaims(),
    dataKeys: new MemoryDataKeys(),
    pseudonymKeys: { current: async () => testKey },
  };
  return { queue, ports };
}

const signal = (extra: object = {}) => ({ observedAt: '2023-03-14', municipality: 'GM0106', form: 'arbeid', ...extra });
const input = (extra: object = {}) => SignalInputSchema.parse(signal(extra));

describe('the sourceType of a signal', () => {
  it('is optional in the one signal schema and in a batch item, and one of the source types', () => {
    expect(SignalInputSchema.parse(signal({ sourceType: 'politie' })).sourceType).toBe('politie');
    expect(SignalInputSchema.parse(signal())).not.toHaveProperty('sourceType');
    expect(BatchSignalInputSchema.parse(signal({ externalId: 'R-1', sourceType: 'veilig-thuis' })).sourceType).toBe('veilig-thuis');
    const refused = SignalInputSchema.safeParse(signal({ sourceType: 'bakker' }));
    expect(refused.error?.issues).toEqual([
      expect.objectContaining({ path: ['sourceType'], message: expect.stringMatching(/^Kies een brontype: gemeente, politie/) }),
    ]);
  });

  it('counts under the source type stated when the key holds signals:source, and under the key otherwise', () => {
    expect(sourceTypeOf({ sourceType: 'politie' }, register)).toBe('politie');
    expect(sourceTypeOf({}, register)).toBe('overig');
    expect(sourceTypeOf({ sourceType: 'politie' }, municipality)).toBe('gemeente');
  });
});

describe('acceptSignal with a stated source type', () => {
  it("takes a register's signal in under the source it states, the organisation and legal basis still the key's", async () => {
    const { queue, ports } = setup();
    const principal: Principal = { ...register, legalBasis: 'wettelijke-taak' };
    const result = await acceptSignal({ input: input({ sourceType: 'politie' }), principal, channel: 'api' }, ports);
    expect(result).toMatchObject({ outcome: 'accepted', replayed: false });
    expect(SignalRecordSchema.parse(queue.sent[0])).toMatchObject({
      organisation: 'Ketenregisseur Drenthe',
      sourceType: 'politie',
      legalBasis: 'wettelijke-taak',
      region: 'noord-nederland',
    });
  });

  it("takes a register's signal that states no source in under the key's source type", async () => {
    const { queue, ports } = setup();
    await acceptSignal({ input: input(), principal: register, channel: 'api' }, ports);
    expect(queue.sent[0]).toMatchObject({ sourceType: 'overig' });
  });

  it('refuses a source type from a key without signals:source, in Dutch with the pointer /sourceType, queueing and claiming nothing', async () => {
    const { queue, ports } = setup();
    const result = await acceptSignal({ input: input({ sourceType: 'politie', externalId: 'E-1' }), principal: municipality, channel: 'api' }, ports);
    expect(result).toEqual({
      outcome: 'refused',
      reason: 'source-type',
      errors: [{ pointer: '/sourceType', detail: expect.stringMatching(/signals:source nodig.*Laat sourceType weg.*\(gemeente\)/) }],
    });
    expect(queue.sent).toHaveLength(0);
    // Nothing was claimed: the same externalId without the field is a new signal, not a conflict.
    expect(await acceptSignal({ input: input({ externalId: 'E-1' }), principal: municipality, channel: 'api' }, ports)).toMatchObject({
      outcome: 'accepted',
      replayed: false,
    });
  });

  it('calls a retry that adds a source to a body sent before a conflict: another body under the same externalId', async () => {
    // What a file imported before the bron column was read meets when imported again (the import then tries it without).
    const { ports } = setup();
    await acceptSignal({ input: input({ externalId: 'R-9' }), principal: register, channel: 'api' }, ports);
    expect(await acceptSignal({ input: input({ externalId: 'R-9', sourceType: 'politie' }), principal: register, channel: 'api' }, ports)).toEqual({
      outcome: 'conflict',
      reason: 'external-id',
    });
    expect(await acceptSignal({ input: input({ externalId: 'R-9' }), principal: register, channel: 'api' }, ports)).toMatchObject({ replayed: true });
  });
});

describe('acceptBatch with stated source types', () => {
  it('takes each signal in under its own source, and one without under the key', async () => {
    const { queue, ports } = setup();
    const answer = await acceptBatch(
      [signal({ externalId: 'A', sourceType: 'politie' }), signal({ externalId: 'B', sourceType: 'gemeente' }), signal({ externalId: 'C' })],
      register,
      ports,
    );
    expect(answer).toMatchObject({ accepted: 3, invalid: 0 });
    expect(queue.sent.map((r) => r.sourceType).sort()).toEqual(['gemeente', 'overig', 'politie']);
  });

  it('reports each signal stating a source from a key without signals:source invalid at its pointer, and takes the others in', async () => {
    const { queue, ports } = setup();
    const answer = await acceptBatch([signal({ externalId: 'A' }), signal({ externalId: 'B', sourceType: 'politie' })], municipality, ports);
    expect(answer).toMatchObject({ accepted: 1, invalid: 1 });
    expect(answer.results[1]).toEqual({
      index: 1,
      status: 'invalid',
      errors: [{ pointer: '/signals/1/sourceType', detail: expect.stringContaining('signals:source') }],
    });
    expect(queue.sent.map((r) => r.sourceType)).toEqual(['gemeente']);
  });
});

describe('issuing a key with signals:source', () => {
  const store = () => ({ put: async () => undefined, revoke: async () => undefined });

  it('issues signals:source beside signals:write', async () => {
    const { principal } = await issuePartnerKey(
      store(),
      { organisation: 'Ketenregisseur Drenthe', sourceType: 'overig', scopes: ['signals:write', 'signals:source'] },
      'dev',
    );
    expect(principal.scopes).toEqual(['signals:write', 'signals:source']);
  });

  it('refuses signals:source alone, in Dutch: it is a way of filing signals', async () => {
    await expect(issuePartnerKey(store(), { organisation: 'Ketenregisseur Drenthe', sourceType: 'overig', scopes: ['signals:source'] }, 'dev')).rejects.toThrow(
      /signals:source hoort bij signals:write/,
    );
  });
});
