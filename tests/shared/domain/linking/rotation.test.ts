import { describe, expect, it } from 'vitest';
import { linkSignal, matchKeysOf, repeatInfo } from '#domain/linking/index.js';
import { pseudonym } from '#domain/privacy/index.js';
import { SignalRecordSchema } from '#domain/signal/index.js';
import { testKey } from '../../../support/in-memory-ports.js';
import { Pipeline, RETENTION_DAYS } from './signals.js';

const second = { keyId: 'test-2', secret: Buffer.alloc(32, 9) };
const third = { keyId: 'test-3', secret: Buffer.alloc(32, 11) };
const person = { name: 'Jan de Vries', dateOfBirth: '1980-02-03', bsn: '111222333' };

describe('linking across a rotation of the pseudonymisation key', () => {
  it('links a new signal under the new key to one made under the old key, kept as previous', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-03-05', subject: { bsn: '111222333' } });
    pipeline.rotate(second);
    const after = await pipeline.file({ organisation: 'Politie', observedAt: '2024-06-01', subject: { bsn: '111222333' } });
    expect(after.subject?.keyId).toBe('test-2');
    expect(await repeatInfo(after.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
  });

  it('carries the match keys under the previous keys on the queued record: pseudonyms only, and valid for the consumer', async () => {
    const pipeline = new Pipeline();
    pipeline.rotate(second);
    const record = await pipeline.accept({ subject: { ...person, phone: '0612345678' } });
    expect(SignalRecordSchema.parse(record)).toEqual(record);
    expect(record.subject?.matchKeys?.map((k) => `${k.keyId}/${k.kind}`).sort()).toEqual(['test-1/bsn', 'test-1/nameDateOfBirth', 'test-1/phone']);
    expect(record.subject?.matchKeys?.find((k) => k.kind === 'bsn')?.pseudonym).toBe(pseudonym(testKey, 'bsn', '111222333'));
    const text = JSON.stringify(record);
    for (const plain of ['111222333', 'Vries', '1980-02-03', '612345678']) expect(text).not.toContain(plain);
    // Without a previous key there is nothing to carry.
    expect((await new Pipeline().accept({ subject: person })).subject?.matchKeys).toBeUndefined();
  });

  it('links across two rotations to signals under each earlier key', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ organisation: 'A', observedAt: '2024-01-05', subject: person });
    pipeline.rotate(second);
    await pipeline.file({ organisation: 'B', observedAt: '2024-02-05', subject: { bsn: person.bsn } });
    pipeline.rotate(third);
    const latest = await pipeline.file({ organisation: 'C', observedAt: '2024-03-05', subject: person });
    expect(matchKeysOf(latest).map((k) => k.keyId)).toEqual(expect.arrayContaining(['test-1', 'test-2', 'test-3']));
    expect(await repeatInfo(latest.signalId, pipeline.ports)).toEqual({ earlierSignals: 2, organisations: 2, since: '2024-01', complete: true });
  });

  it('lets a signal filed before the rotation count one filed after it but observed earlier', async () => {
    const pipeline = new Pipeline();
    const before = await pipeline.file({ organisation: 'A', observedAt: '2024-06-01', subject: { bsn: person.bsn } });
    pipeline.rotate(second);
    // Received later, observed earlier: indexed under the old key too, where the first one looks.
    await pipeline.file({ organisation: 'B', observedAt: '2024-02-01', subject: { bsn: person.bsn } });
    expect(await repeatInfo(before.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-02', complete: true });
  });

  it('would not link without the previous key (why it is kept for as long as signals are)', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ observedAt: '2024-03-05', subject: { bsn: person.bsn } });
    pipeline.rotate(second, false);
    const after = await pipeline.file({ observedAt: '2024-06-01', subject: { bsn: person.bsn } });
    expect(await repeatInfo(after.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 0 });
  });

  it('links a retry resent after the rotation once, under the keys of both messages', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.accept({ observedAt: '2024-03-05', idempotencyKey: 'k-1', subject: { bsn: person.bsn } });
    pipeline.rotate(second);
    const retry = await pipeline.accept({ observedAt: '2024-03-05', idempotencyKey: 'k-1', subject: { bsn: person.bsn } });
    expect(retry.signalId).toBe(first.signalId);
    // Either may reach the consumer first.
    await linkSignal(retry, pipeline.ports, RETENTION_DAYS);
    await linkSignal(first, pipeline.ports, RETENTION_DAYS);
    expect(await repeatInfo(first.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 0 });
    const later = await pipeline.file({ organisation: 'Politie', observedAt: '2024-05-01', subject: { bsn: person.bsn } });
    expect(await repeatInfo(later.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 1, organisations: 1 });
  });
});
