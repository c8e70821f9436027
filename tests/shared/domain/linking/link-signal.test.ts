import { describe, expect, it } from 'vitest';
import { linkSignal, repeatInfo } from '#domain/linking/index.js';
import { Pipeline, RETENTION_DAYS } from './signals.js';

/** Everything plain these signals carry; none of it may be in the index. */
const PLAIN = ['111222333', '123456782', 'Jan de Vries', 'Vries', '1980-02-03', '0612345678', '612345678', 'jan@example.nl'];

describe('linkSignal', () => {
  it('links the same BSN filed by two organisations through two channels', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.file({ organisation: 'Gemeente Emmen', channel: 'api', observedAt: '2024-03-05', subject: { bsn: '111222333' } });
    const second = await pipeline.file({ organisation: 'Gemeente Assen', channel: 'email', observedAt: '2024-06-01', subject: { bsn: '111222333' } });
    expect(await repeatInfo(second.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
    expect(await repeatInfo(first.signalId, pipeline.ports)).toEqual({ earlierSignals: 0, organisations: 0, complete: true });
  });

  it('links on any one shared key: the BSN in one, the phone and the BSN in another, the phone alone in a third', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ organisation: 'A', observedAt: '2024-01-10', subject: { bsn: '111222333' } });
    await pipeline.file({ organisation: 'B', observedAt: '2024-02-10', subject: { bsn: '111222333', phone: '0612345678' } });
    const third = await pipeline.file({ organisation: 'C', observedAt: '2024-03-10', subject: { phone: '+31 6 12345678' } });
    // Linked directly only: the third shares the phone with the second, nothing with the first.
    expect(await repeatInfo(third.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 1, since: '2024-02' });
    const fourth = await pipeline.file({ organisation: 'D', observedAt: '2024-04-10', subject: { bsn: '111222333', phone: '0612345678' } });
    // Under two keys with the second, yet counted once.
    expect(await repeatInfo(fourth.signalId, pipeline.ports)).toEqual({ earlierSignals: 3, organisations: 3, since: '2024-01', complete: true });
  });

  it('links once when the same signal is stored twice: a redelivered message and a partner retry change nothing', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.accept({ observedAt: '2024-03-05', idempotencyKey: 'k-1', subject: { bsn: '111222333' } });
    const retry = await pipeline.accept({ observedAt: '2024-03-05', idempotencyKey: 'k-1', subject: { bsn: '111222333' } });
    expect(retry.signalId).toBe(first.signalId);
    for (const record of [first, first, retry]) await linkSignal(record, pipeline.ports, RETENTION_DAYS);
    const before = JSON.stringify([...pipeline.links.byKey.entries()].map(([k, v]) => [k, [...v.entries()]]));
    await linkSignal(first, pipeline.ports, RETENTION_DAYS);
    expect(JSON.stringify([...pipeline.links.byKey.entries()].map(([k, v]) => [k, [...v.entries()]]))).toBe(before);

    const later = await pipeline.file({ organisation: 'Politie', observedAt: '2024-05-01', subject: { bsn: '111222333' } });
    expect(await repeatInfo(later.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 1, organisations: 1 });
  });

  it('indexes a signal without identifiers of its person nowhere', async () => {
    const pipeline = new Pipeline();
    const record = await pipeline.accept({});
    expect(await linkSignal(record, pipeline.ports, RETENTION_DAYS)).toEqual({ keys: 0 });
    expect(pipeline.links.byKey.size).toBe(0);
    expect(pipeline.links.own.size).toBe(0);
  });

  it('expires the entries with the signal: retention counted from receipt, as the signals table counts it', async () => {
    const pipeline = new Pipeline();
    const record = await pipeline.file({ subject: { bsn: '111222333' } });
    const expected = Math.floor(Date.parse(record.receivedAt) / 1000) + RETENTION_DAYS * 86_400;
    expect((await pipeline.links.indexed(record.signalId))?.expiresAt).toBe(expected);
    for (const entries of pipeline.links.byKey.values()) expect(entries.get(record.signalId)?.expiresAt).toBe(expected);
  });

  it('holds pseudonyms, ids, organisations and dates only: no plain identifier', async () => {
    const pipeline = new Pipeline();
    const subject = { name: 'Jan de Vries', dateOfBirth: '1980-02-03', bsn: '111222333', phone: '0612345678', email: 'jan@example.nl' };
    await pipeline.file({ subject });
    await pipeline.file({ subject: { ...subject, bsn: '123456782' }, observedAt: '2024-04-01' });
    const everything = JSON.stringify({
      keys: [...pipeline.links.byKey.entries()].map(([k, v]) => [k, [...v.values()]]),
      own: [...pipeline.links.own.values()],
    });
    for (const plain of PLAIN) expect(everything.toLowerCase()).not.toContain(plain.toLowerCase());
    for (const key of pipeline.links.byKey.keys()) expect(key).toMatch(/^key#test-1#(bsn|nameDateOfBirth|phone|email)#[a-f0-9]{64}$/);
  });
});

describe('linkSignal without a retention', () => {
  it('writes entries without an expiry: they stay until an erasure or the retention sweep unlinks the signal', async () => {
    const pipeline = new Pipeline();
    const record = await pipeline.accept({ subject: { bsn: '111222333' } });
    await linkSignal(record, pipeline.ports);
    expect(await pipeline.links.indexed(record.signalId)).not.toHaveProperty('expiresAt');
    for (const entries of pipeline.links.byKey.values()) expect(entries.get(record.signalId)).not.toHaveProperty('expiresAt');
    const later = await pipeline.accept({ observedAt: '2024-09-01', subject: { bsn: '111222333' } });
    await linkSignal(later, pipeline.ports);
    expect(await repeatInfo(later.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 1 });
  });
});
