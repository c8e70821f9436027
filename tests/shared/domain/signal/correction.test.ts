import { describe, expect, it } from 'vitest';
import type { Principal } from '#domain/partners/index.js';
import { applyCorrection, correctSignal, SignalCorrectionSchema, type SignalStore, type StoredSignal, signalView } from '#domain/signal/index.js';
import { storedSignal } from '../../../support/stored-signal.js';

const principal: Principal = { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], region: 'noord-nederland' };
const stored: StoredSignal = storedSignal({ form: 'onbekend', subject: { keyId: 'k', pseudonyms: { bsn: 'a'.repeat(64) } } });

class MemorySignals implements SignalStore {
  signals = new Map<string, StoredSignal>([[stored.signalId, structuredClone(stored)]]);
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

describe('signalView', () => {
  it('shows the classification and status, never the pseudonyms', () => {
    expect(JSON.stringify(signalView(stored))).not.toContain('pseudonyms');
    expect(signalView(stored)).toMatchObject({ signalId: stored.signalId, status: 'ontvangen', form: 'onbekend', version: 1 });
  });
});
