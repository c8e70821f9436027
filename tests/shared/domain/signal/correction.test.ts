import { describe, expect, it } from 'vitest';
import type { Principal } from '#domain/partners/index.js';
import {
  applyCorrection,
  canPartnerMove,
  correctSignal,
  SIGNAL_STATUSES,
  SignalCorrectionSchema,
  type SignalStore,
  type StoredSignal,
  signalView,
} from '#domain/signal/index.js';
import { storedSignal } from '../../../support/stored-signal.js';

const principal: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };
const stored: StoredSignal = storedSignal({ form: 'onbekend', subject: { keyId: 'k', pseudonyms: { bsn: 'a'.repeat(64) } } });

class MemorySignals implements SignalStore {
  signals: Map<string, StoredSignal>;
  constructor(signal: StoredSignal = stored) {
    this.signals = new Map([[signal.signalId, structuredClone(signal)]]);
  }
  async putIfAbsent() {
    return 'stored' as const;
  }
  async get(id: string) {
    return this.signals.get(id);
  }
  async update(id: string, version: number, changes: Partial<StoredSignal>) {
    const s = this.signals.get(id)!;
    if (s.version !== version) return false;
    this.signals.set(id, { ...s, ...changes, version: version + 1 });
    return true;
  }
}

describe('SignalCorrectionSchema', () => {
  it('takes classification fields and withdrawal, and refuses the person, the text and an empty correction', () => {
    expect(SignalCorrectionSchema.safeParse({ form: 'arbeid', status: 'ingetrokken' }).success).toBe(true);
    expect(SignalCorrectionSchema.safeParse({ subject: { name: 'x' } }).success).toBe(false);
    expect(SignalCorrectionSchema.safeParse({ description: 'x' }).success).toBe(false);
    expect(SignalCorrectionSchema.safeParse({}).success).toBe(false);
  });
});

describe('correctSignal', () => {
  it('places a corrected municipality in its own province', () => {
    expect(correctSignal(stored, { municipality: 'GM0014' }, principal)).toEqual({
      changes: { municipality: 'GM0014', province: 'GR', region: 'noord-nederland' },
    });
  });

  it('keeps the province when the municipality becomes unknown', () => {
    expect(correctSignal(stored, { municipality: 'onbekend' }, principal)).toMatchObject({ changes: { municipality: 'onbekend', province: 'DR' } });
  });

  it('refuses a province that does not fit the municipality', () => {
    expect(correctSignal(stored, { province: 'FR' }, principal)).toEqual({ field: 'province', message: expect.stringContaining('Emmen') });
  });
});

describe('applyCorrection', () => {
  it('raises the version with the changes', async () => {
    const store = new MemorySignals();
    const result = await applyCorrection(stored.signalId, { form: 'arbeid' }, principal, store);
    expect(result).toMatchObject({ outcome: 'corrected', signal: { form: 'arbeid', version: 2 } });
    expect(store.signals.get(stored.signalId)).toMatchObject({ form: 'arbeid', version: 2 });
  });

  it('does not find the signal of another organisation', async () => {
    expect(await applyCorrection(stored.signalId, { form: 'arbeid' }, { ...principal, organisation: 'Politie' }, new MemorySignals())).toEqual({
      outcome: 'not-found',
    });
  });
});

describe('applyCorrection of the source type', () => {
  const register: Principal = { ...principal, scopes: ['signals:write', 'signals:source'] };

  it('moves the signal to the stated source type for a key with signals:source, raising the version so the counts follow', async () => {
    const store = new MemorySignals();
    const result = await applyCorrection(stored.signalId, { sourceType: 'politie' }, register, store);
    expect(result).toMatchObject({ outcome: 'corrected', signal: { sourceType: 'politie', version: 2 } });
    expect(store.signals.get(stored.signalId)).toMatchObject({ sourceType: 'politie', version: 2 });
  });

  it('refuses it to a key without signals:source at /sourceType, writing nothing, the fields beside it neither', async () => {
    const store = new MemorySignals();
    expect(await applyCorrection(stored.signalId, { sourceType: 'politie', form: 'arbeid' }, principal, store)).toEqual({
      outcome: 'invalid',
      field: 'sourceType',
      message: expect.stringContaining('signals:source'),
    });
    expect(store.signals.get(stored.signalId)).toEqual(stored);
  });

  it('takes only a known source type', () => {
    expect(SignalCorrectionSchema.safeParse({ sourceType: 'zorg' }).success).toBe(true);
    expect(SignalCorrectionSchema.safeParse({ sourceType: 'buurman' }).success).toBe(false);
  });
});

describe('applyCorrection and the status', () => {
  const decided = storedSignal({ status: 'besproken', routes: ['riec'], decisions: [] });
  const clock = () => new Date('2025-02-03T04:05:06.000Z');

  it.each(SIGNAL_STATUSES.flatMap((from) => (['ontvangen', 'ingetrokken'] as const).map((to) => [from, to] as const)))(
    'from %s, a partner setting %s is corrected or refused exactly as its moves say, and a refusal writes nothing',
    async (from, to) => {
      const store = new MemorySignals(storedSignal({ status: from }));
      const result = await applyCorrection(stored.signalId, { status: to }, principal, store, clock);
      if (canPartnerMove(from, to)) {
        expect(result).toMatchObject({ outcome: 'corrected', signal: { status: to, version: 2 } });
      } else {
        expect(result).toMatchObject({ outcome: 'refused', problem: { status: 409, detail: expect.stringContaining(`status ${from}`) } });
        expect(store.signals.get(stored.signalId)).toMatchObject({ status: from, version: 1 });
      }
    },
  );

  it('refuses to reopen or withdraw a signal the table decided on, keeping its status, routes and version', async () => {
    const store = new MemorySignals(decided);
    for (const status of ['ontvangen', 'ingetrokken'] as const) {
      const result = await applyCorrection(decided.signalId, { status }, principal, store);
      expect(result).toMatchObject({ outcome: 'refused', problem: { status: 409, errors: [{ pointer: '/status' }] } });
    }
    expect(store.signals.get(decided.signalId)).toEqual(decided);
  });

  it('refuses the whole correction when its status move is refused: the form beside it is not written either', async () => {
    const store = new MemorySignals(decided);
    expect(await applyCorrection(decided.signalId, { form: 'seksueel', status: 'ingetrokken' }, principal, store)).toMatchObject({ outcome: 'refused' });
    expect(store.signals.get(decided.signalId)).toMatchObject({ form: 'arbeid', version: 1 });
  });

  it("still corrects a decided signal's facts, keeping its status and routes", async () => {
    const store = new MemorySignals(decided);
    const result = await applyCorrection(decided.signalId, { form: 'seksueel' }, principal, store, clock);
    expect(result).toMatchObject({ outcome: 'corrected', signal: { form: 'seksueel', status: 'besproken', version: 2 } });
    expect(store.signals.get(decided.signalId)).toMatchObject({ routes: ['riec'], status: 'besproken' });
  });

  it('sets changedAt to the moment of the correction, so that retention counts from it', async () => {
    const store = new MemorySignals();
    await applyCorrection(stored.signalId, { form: 'arbeid' }, principal, store, clock);
    expect(store.signals.get(stored.signalId)!.changedAt).toBe('2025-02-03T04:05:06.000Z');
  });

  it('decides the move anew when the table decided meanwhile: a withdrawal that lost the race is refused', async () => {
    const store = new MemorySignals();
    const update = store.update.bind(store);
    let first = true;
    store.update = async (id, version, changes) => {
      if (first) {
        // The table's decision lands between the partner's read and its write.
        first = false;
        store.signals.set(id, { ...store.signals.get(id)!, status: 'besproken', routes: ['riec'], version: version + 1 });
      }
      return update(id, version, changes);
    };
    expect(await applyCorrection(stored.signalId, { status: 'ingetrokken' }, principal, store)).toMatchObject({ outcome: 'refused' });
    expect(store.signals.get(stored.signalId)).toMatchObject({ status: 'besproken', version: 2 });
  });
});

describe('signalView', () => {
  it('shows the classification and status, never the pseudonyms', () => {
    expect(JSON.stringify(signalView(stored))).not.toContain('pseudonyms');
    expect(signalView(stored)).toMatchObject({ signalId: stored.signalId, status: 'ontvangen', form: 'onbekend', version: 1 });
  });
});
