import { describe, expect, it, vi } from 'vitest';
import { acceptBatch, acceptSignal, type BatchIntakePorts, readBatchEnvelope } from '#domain/intake/index.js';
import type { Principal } from '#domain/partners/index.js';
import { decryptText, type PseudonymKey } from '#domain/privacy/index.js';
import { SignalInputSchema, type SignalRecord, SignalRecordSchema } from '#domain/signal/index.js';
import { MemoryClaims, MemoryDataKeys, MemoryQueue, testKey } from '../../../support/in-memory-ports.js';

const principal: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };

function setup(queue = new MemoryQueue()) {
  const claims = new MemoryClaims();
  const dataKeys = new MemoryDataKeys();
  const ports: BatchIntakePorts = { queue, claims, dataKeys, pseudonymKeys: { current: async () => testKey } };
  return { queue, claims, dataKeys, ports };
}

const signal = (externalId: string, extra: object = {}) => ({ externalId, observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid', ...extra });

/** A queue that leaves the records of the given signals off, as SendMessageBatch reports failed entries. */
class LossyQueue extends MemoryQueue {
  constructor(private readonly lose: (record: SignalRecord) => boolean) {
    super();
  }
  override async sendBatch(records: readonly SignalRecord[]) {
    const sent = records.map((record) => !this.lose(record));
    for (const [i, record] of records.entries()) if (sent[i]) await this.send(record);
    return sent;
  }
}

describe('readBatchEnvelope', () => {
  it('reads the signals of { "signals": [...] } without judging them', () => {
    expect(readBatchEnvelope({ signals: [1, {}, 'x'] })).toEqual({ outcome: 'read', signals: [1, {}, 'x'] });
  });

  it('refuses a body that is no batch, naming the pointer', () => {
    const pointers = (body: unknown) => {
      const read = readBatchEnvelope(body);
      return read.outcome === 'invalid' ? read.error.issues.map((i) => `/${i.path.join('/')}`) : read.outcome;
    };
    expect(pointers([signal('a')])).toEqual(['/']);
    expect(pointers({})).toEqual(['/signals']);
    expect(pointers({ signals: {} })).toEqual(['/signals']);
    expect(pointers({ signals: [] })).toEqual(['/signals']);
    expect(pointers({ signals: [signal('a')], dryRun: true })).toEqual(['/']);
  });

  it('tells more than 500 signals apart, with their number', () => {
    expect(readBatchEnvelope({ signals: Array(500).fill({}) }).outcome).toBe('read');
    expect(readBatchEnvelope({ signals: Array(501).fill({}) })).toEqual({ outcome: 'too-many', count: 501 });
  });
});

describe('acceptBatch', () => {
  it('accepts every valid signal, each with its own id, in the order sent, and queues each once', async () => {
    const { queue, ports } = setup();
    const answer = await acceptBatch([signal('A-1'), signal('A-2', { form: 'seksueel' }), signal('A-3')], principal, ports);
    expect(answer).toMatchObject({ accepted: 3, duplicate: 0, invalid: 0, failed: 0 });
    expect(answer.results.map((r) => [r.index, r.status])).toEqual([
      [0, 'accepted'],
      [1, 'accepted'],
      [2, 'accepted'],
    ]);
    expect(new Set(answer.results.map((r) => r.signalId)).size).toBe(3);
    expect(queue.sent.map((r) => r.signalId)).toEqual(answer.results.map((r) => r.signalId));
    for (const record of queue.sent) expect(SignalRecordSchema.parse(record)).toMatchObject({ channel: 'api', organisation: 'Gemeente Emmen', province: 'DR' });
  });

  it('reports each invalid signal with the single route’s errors, pointed into the batch, and still accepts the valid ones', async () => {
    const { queue, ports } = setup();
    const answer = await acceptBatch(
      [
        signal('B-0'),
        signal('B-1', { municipality: 'GM9999' }),
        signal('B-2', { subject: { bsn: '123456789' } }),
        signal('B-3', { colour: 'rood' }),
        'geen object',
        { observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid' },
        signal('B-6', { province: 'GR' }),
        signal('B-7'),
      ],
      principal,
      ports,
    );
    expect(answer).toMatchObject({ accepted: 2, invalid: 6, duplicate: 0, failed: 0 });
    const errors = Object.fromEntries(answer.results.filter((r) => r.status === 'invalid').map((r) => [r.index, r.errors!.map((e) => e.pointer)]));
    expect(errors).toEqual({
      1: ['/signals/1/municipality'],
      2: ['/signals/2/subject/bsn'],
      3: ['/signals/3/colour'],
      4: ['/signals/4'],
      5: ['/signals/5/externalId'],
      6: ['/signals/6/province'],
    });
    expect(answer.results[2]!.errors![0]!.detail).toBe('Dit BSN klopt niet (elfproef).');
    expect(answer.results[5]!.errors![0]!.detail).toMatch(/^Verplicht in een batch/);
    expect(answer.results[1]).not.toHaveProperty('signalId');
    expect(queue.sent).toHaveLength(2);
  });

  it('reports a missing externalId beside the other errors of the same signal', async () => {
    const { ports } = setup();
    const answer = await acceptBatch([{ observedAt: '2023-03-14', municipality: 'GM0114', form: 'slavernij' }], principal, ports);
    expect(answer.results[0]!.errors!.map((e) => e.pointer).sort()).toEqual(['/signals/0/externalId', '/signals/0/form']);
  });

  it('counts nothing twice when the same batch comes again: every signal a duplicate under its first id', async () => {
    const { queue, ports } = setup();
    const batch = [signal('C-1'), signal('C-2'), signal('C-3', { form: 'bestaat-niet' })];
    const first = await acceptBatch(batch, principal, ports);
    const again = await acceptBatch(batch, principal, ports);
    expect(again).toMatchObject({ accepted: 0, duplicate: 2, invalid: 1, failed: 0 });
    expect(again.results.slice(0, 2).map((r) => [r.status, r.signalId])).toEqual(first.results.slice(0, 2).map((r) => ['duplicate', r.signalId]));
    // Sent again, so a batch cut off between claim and send loses nothing; the consumer stores each id once.
    expect(new Set(queue.sent.map((r) => r.signalId))).toEqual(new Set(first.results.slice(0, 2).map((r) => r.signalId)));
  });

  it('takes the new signals of a batch in beside the ones it knew already', async () => {
    const { ports } = setup();
    const first = await acceptBatch([signal('D-1'), signal('D-2')], principal, ports);
    const mixed = await acceptBatch([signal('D-3'), signal('D-1'), signal('D-4'), signal('D-2')], principal, ports);
    expect(mixed.results.map((r) => r.status)).toEqual(['accepted', 'duplicate', 'accepted', 'duplicate']);
    expect(mixed.results[1]!.signalId).toBe(first.results[0]!.signalId);
    expect(mixed.results[3]!.signalId).toBe(first.results[1]!.signalId);
  });

  it('knows an externalId taken in by the single route, and the single route knows one taken in by a batch', async () => {
    const { ports } = setup();
    const single = await acceptSignal({ input: SignalInputSchema.parse(signal('E-1')), principal, channel: 'api' }, ports as never);
    const batch = await acceptBatch([signal('E-1'), signal('E-2')], principal, ports);
    expect(batch.results[0]).toMatchObject({ status: 'duplicate', signalId: (single as { signalId: string }).signalId });
    const after = await acceptSignal({ input: SignalInputSchema.parse(signal('E-2')), principal, channel: 'api' }, ports as never);
    expect(after).toEqual({ outcome: 'accepted', signalId: batch.results[1]!.signalId, replayed: true });
  });

  it('takes a signal repeated within one batch in once: the first accepted, the next a duplicate with its id and no message of its own', async () => {
    const { queue, ports } = setup();
    const answer = await acceptBatch([signal('F-1'), signal('F-2'), signal(' F-1 ')], principal, ports);
    expect(answer.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'duplicate']);
    expect(answer.results[2]!.signalId).toBe(answer.results[0]!.signalId);
    expect(queue.sent).toHaveLength(2);
  });

  it('refuses an externalId used for another signal, earlier or earlier in the batch, as invalid at /externalId', async () => {
    const { queue, ports } = setup();
    await acceptBatch([signal('G-1')], principal, ports);
    const answer = await acceptBatch([signal('G-1', { form: 'seksueel' }), signal('G-2'), signal('G-2', { form: 'crimineel' })], principal, ports);
    expect(answer).toMatchObject({ accepted: 1, invalid: 2 });
    expect(answer.results[0]).toEqual({
      index: 0,
      status: 'invalid',
      errors: [{ pointer: '/signals/0/externalId', detail: expect.stringMatching(/al gebruikt/) }],
    });
    expect(answer.results[2]!.errors![0]!.pointer).toBe('/signals/2/externalId');
    expect(queue.sent.filter((r) => r.form !== 'arbeid')).toEqual([]);
  });

  it('reads the claims of a batch in bulk and makes only the new ones, in bulk, one call each', async () => {
    const { claims, ports } = setup();
    await acceptBatch([signal('H-1'), signal('H-2')], principal, ports);
    const findMany = vi.spyOn(claims, 'findMany');
    const claimMany = vi.spyOn(claims, 'claimMany');
    const claim = vi.spyOn(claims, 'claim');
    const find = vi.spyOn(claims, 'find');
    const answer = await acceptBatch([signal('H-1'), signal('H-2'), signal('H-3'), signal('H-4'), signal('H-3')], principal, ports);
    expect(answer.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'accepted', 'duplicate']);
    expect(findMany).toHaveBeenCalledTimes(1);
    expect(findMany.mock.calls[0]![0]).toHaveLength(5);
    expect(claimMany).toHaveBeenCalledTimes(1);
    expect(claimMany.mock.calls[0]![0].map((c) => c.signalId)).toEqual([answer.results[2]!.signalId, answer.results[3]!.signalId]);
    expect(claim).not.toHaveBeenCalled();
    expect(find).not.toHaveBeenCalled();
  });

  it('settles a signal that another request claimed between the read and the bulk claim as that request’s', async () => {
    const { claims, ports } = setup();
    const other = { input: SignalInputSchema.parse(signal('R-1')), principal, channel: 'api' as const };
    const otherRequest = acceptSignal(other, ports as never);
    // The other request's claim lands after this batch read the claims, before it claims in bulk.
    const claimMany = claims.claimMany.bind(claims);
    claims.claimMany = async (batch) => {
      await otherRequest;
      return claimMany(batch);
    };
    const findMany = claims.findMany.bind(claims);
    claims.findMany = async (keys) => {
      const found = await findMany(keys);
      found.clear();
      return found;
    };
    const answer = await acceptBatch([signal('R-1'), signal('R-1', { form: 'seksueel' })], principal, ports);
    expect(answer.results[0]).toEqual({ index: 0, status: 'duplicate', signalId: ((await otherRequest) as { signalId: string }).signalId });
    expect(answer.results[1]).toMatchObject({ status: 'invalid', errors: [{ pointer: '/signals/1/externalId' }] });
  });

  it('reports a signal whose message did not get on the queue as failed, without an id, and takes it in when sent again', async () => {
    let lose = true;
    const queue = new LossyQueue((record) => lose && record.form === 'seksueel');
    const { ports } = setup(queue);
    const batch = [signal('I-1'), signal('I-2', { form: 'seksueel' }), signal('I-2', { form: 'seksueel' })];
    const first = await acceptBatch(batch, principal, ports);
    expect(first).toMatchObject({ accepted: 1, failed: 2 });
    expect(first.results[1]).toEqual({ index: 1, status: 'failed', errors: [{ pointer: '/signals/1', detail: expect.stringMatching(/opnieuw/) }] });
    expect(queue.sent.map((r) => r.form)).toEqual(['arbeid']);

    lose = false;
    const again = await acceptBatch(batch, principal, ports);
    // Claimed the first time, so known now: on the queue under the id it was claimed with.
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(queue.sent.filter((r) => r.form === 'seksueel').map((r) => r.signalId)).toEqual([again.results[1]!.signalId]);
  });

  it('throws when the queue takes none of it, so nothing is promised', async () => {
    const queue = new MemoryQueue();
    queue.sendBatch = async () => {
      throw Object.assign(new Error('down'), { name: 'ServiceUnavailable' });
    };
    const { ports } = setup(queue);
    await expect(acceptBatch([signal('J-1')], principal, ports)).rejects.toThrow('down');
  });

  it('answers a batch of only invalid signals without a key, claim or message', async () => {
    const { queue, claims, ports } = setup();
    const current = vi.fn(async () => testKey);
    const answer = await acceptBatch([{}, 7], principal, { ...ports, pseudonymKeys: { current } });
    expect(answer).toMatchObject({ accepted: 0, invalid: 2 });
    expect(current).not.toHaveBeenCalled();
    expect(claims.claims.size).toBe(0);
    expect(queue.sent).toEqual([]);
  });

  it('puts no identifier, birth date or free text of a batch signal on the queue, and the text can be decrypted', async () => {
    const { queue, dataKeys, ports } = setup();
    const subject = { name: 'Jan de Vries', dateOfBirth: '1980-02-03', bsn: '111222333', phone: '0612345678', email: 'jan@example.nl' };
    await acceptBatch(
      [signal('K-1', { subject, description: 'Slaapt in de loods' }), signal('K-2', { subject: { ...subject, bsn: '123' } })],
      principal,
      ports,
    );
    expect(queue.sent).toHaveLength(1);
    const text = JSON.stringify(queue.sent);
    for (const plain of ['Jan de Vries', 'Vries', '1980-02-03', '111222333', '612345678', 'jan@example.nl', 'loods', 'K-1']) expect(text).not.toContain(plain);
    expect(await decryptText(queue.sent[0]!.description!, dataKeys)).toBe('Slaapt in de loods');
    expect(queue.sent[0]!.subject!.pseudonyms.bsn).toMatch(/^[a-f0-9]{64}$/);
  });

  it('recognises a batch signal first taken in before a rotation of the pseudonymisation key', async () => {
    const rotated: PseudonymKey = { keyId: 'test-2', secret: Buffer.alloc(32, 9) };
    const { ports } = setup();
    const before = await acceptBatch([signal('L-1')], principal, ports);
    const after = await acceptBatch([signal('L-1'), signal('L-1', { form: 'seksueel' })], principal, {
      ...ports,
      pseudonymKeys: { current: async () => rotated, previous: async () => [testKey] },
    });
    expect(after.results[0]).toMatchObject({ status: 'duplicate', signalId: before.results[0]!.signalId });
    expect(after.results[1]).toMatchObject({ status: 'invalid', errors: [{ pointer: '/signals/1/externalId' }] });
  });
});
