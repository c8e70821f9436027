import { describe, expect, it } from 'vitest';
import { linkSignal, notePersonStanding, personStanding } from '#domain/linking/index.js';
import type { SignalRecord, StoredSignal } from '#domain/signal/index.js';
import { MemorySignals } from '../casework/erasure/world.js';
import { Pipeline } from './signals.js';

const subject = { bsn: '111222333' };

describe('personStanding', () => {
  it('goes by arrival: a signal received later, though observed earlier, changes nothing for the one before it', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-06-01', subject });
    const before = await personStanding(first.signalId, pipeline.ports);
    // Received after the first, observed before it.
    const late = await pipeline.file({ organisation: 'Politie', observedAt: '2024-03-05', subject });

    expect(before).toEqual({ signalledBefore: false, earlierInYear: false });
    expect(await personStanding(first.signalId, pipeline.ports)).toEqual(before);
    expect(await personStanding(late.signalId, pipeline.ports)).toEqual({ signalledBefore: true, earlierInYear: true });
  });

  it('counts a signal of the same person observed in another year as signalled before, not as earlier this year', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ observedAt: '2023-11-20', subject });
    const next = await pipeline.file({ organisation: 'Politie', observedAt: '2024-02-01', subject });
    expect(await personStanding(next.signalId, pipeline.ports)).toEqual({ signalledBefore: true, earlierInYear: false });
  });

  it('leaves other people out', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ subject: { bsn: '123456782' } });
    const mine = await pipeline.file({ subject });
    expect(await personStanding(mine.signalId, pipeline.ports)).toEqual({ signalledBefore: false, earlierInYear: false });
  });

  it('is undefined for a signal that named nobody', async () => {
    const pipeline = new Pipeline();
    const nobody = await pipeline.file({});
    expect(await personStanding(nobody.signalId, pipeline.ports)).toBeUndefined();
  });
});

describe('notePersonStanding', () => {
  const stored = (record: SignalRecord, extra: Partial<StoredSignal> = {}): StoredSignal => ({ ...record, version: 1, ...extra });

  it('sets the standing once, raising the version; a redelivery changes nothing', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ observedAt: '2024-01-10', subject });
    const second = await pipeline.file({ observedAt: '2024-02-10', subject });
    const signals = new MemorySignals();
    await signals.putIfAbsent(stored(second));

    expect(await notePersonStanding(second.signalId, { ...pipeline.ports, signals })).toBe('set');
    expect(signals.items.get(second.signalId)).toMatchObject({ version: 2, person: { signalledBefore: true, earlierInYear: true } });
    expect(await notePersonStanding(second.signalId, { ...pipeline.ports, signals })).toBe('unchanged');
    expect(signals.items.get(second.signalId)!.version).toBe(2);
  });

  it('raises a later signal that read the index before the earlier one was linked, whichever consumer reads last', async () => {
    const pipeline = new Pipeline();
    // Received first, but its consumer is slow: not linked yet when the second signal's consumer reads.
    const earlier = await pipeline.accept({ observedAt: '2024-01-10', subject });
    const later = await pipeline.file({ organisation: 'Politie', observedAt: '2024-02-10', subject });
    const signals = new MemorySignals();
    await signals.putIfAbsent(stored(earlier));
    await signals.putIfAbsent(stored(later));
    expect(await notePersonStanding(later.signalId, { ...pipeline.ports, signals })).toBe('set');
    expect(signals.items.get(later.signalId)!.person).toEqual({ signalledBefore: false, earlierInYear: false });

    await linkSignal(earlier, pipeline.ports, 1825);
    expect(await notePersonStanding(earlier.signalId, { ...pipeline.ports, signals })).toBe('set');
    expect(signals.items.get(earlier.signalId)!.person).toEqual({ signalledBefore: false, earlierInYear: false });
    expect(signals.items.get(later.signalId)).toMatchObject({ version: 3, person: { signalledBefore: true, earlierInYear: true } });
    // A redelivery of either changes nothing more.
    expect(await notePersonStanding(earlier.signalId, { ...pipeline.ports, signals })).toBe('unchanged');
    expect(await notePersonStanding(later.signalId, { ...pipeline.ports, signals })).toBe('unchanged');
    expect(signals.items.get(later.signalId)!.version).toBe(3);
  });

  it('retries on a version conflict with the signal read again', async () => {
    const pipeline = new Pipeline();
    const only = await pipeline.file({ subject });
    const signals = new MemorySignals();
    await signals.putIfAbsent(stored(only));
    signals.beforeUpdate = async () => {
      await signals.update(only.signalId, 1, { status: 'te-verrijken' });
    };
    expect(await notePersonStanding(only.signalId, { ...pipeline.ports, signals })).toBe('set');
    expect(signals.items.get(only.signalId)).toMatchObject({ version: 3, status: 'te-verrijken', person: { signalledBefore: false } });
  });

  it('leaves an erased signal and one that named nobody alone', async () => {
    const pipeline = new Pipeline();
    const erased = await pipeline.file({ subject });
    const nobody = await pipeline.file({});
    const signals = new MemorySignals();
    await signals.putIfAbsent(stored(erased, { erasedAt: '2026-01-01T00:00:00.000Z' }));
    await signals.putIfAbsent(stored(nobody));
    expect(await notePersonStanding(erased.signalId, { ...pipeline.ports, signals })).toBe('unchanged');
    expect(await notePersonStanding(nobody.signalId, { ...pipeline.ports, signals })).toBe('unknown');
    expect(signals.items.get(erased.signalId)!.version).toBe(1);
    expect(signals.items.get(nobody.signalId)!.version).toBe(1);
  });
});
