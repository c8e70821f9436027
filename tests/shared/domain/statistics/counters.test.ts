import { describe, expect, it } from 'vitest';
import type { StoredSignal } from '#domain/signal/index.js';
import { type Contribution, contributionOf, counterDeltas } from '#domain/statistics/index.js';

const emmen: Contribution = {
  year: 2023,
  month: '2023-03',
  region: 'noord-nederland',
  province: 'DR',
  municipality: 'GM0114',
  form: 'arbeid',
  sourceType: 'gemeente',
  channel: 'api',
  signalType: 'melding',
};
const asMap = (deltas: ReturnType<typeof counterDeltas>) => Object.fromEntries([...deltas].map(([k, v]) => [k, Object.fromEntries(v)]));

describe('counterDeltas', () => {
  it('counts a new signal in its region, province and municipality, under every dimension', () => {
    const deltas = asMap(counterDeltas(null, emmen));
    expect(Object.keys(deltas)).toEqual(['counter#region#noord-nederland#2023', 'counter#province#DR#2023', 'counter#municipality#GM0114#2023']);
    expect(deltas['counter#region#noord-nederland#2023']).toEqual({
      total: 1,
      'form#arbeid': 1,
      'province#DR': 1,
      'municipality#GM0114': 1,
      'sourceType#gemeente': 1,
      'channel#api': 1,
      'signalType#melding': 1,
      'month#2023-03': 1,
    });
  });

  it('counts an unknown municipality in its province and region only', () => {
    const deltas = asMap(counterDeltas(null, { ...emmen, municipality: 'onbekend' }));
    expect(Object.keys(deltas)).toEqual(['counter#region#noord-nederland#2023', 'counter#province#DR#2023']);
    expect(deltas['counter#province#DR#2023']!['municipality#onbekend']).toBe(1);
  });

  it('moves only what changed when a signal is corrected', () => {
    expect(asMap(counterDeltas(emmen, { ...emmen, form: 'seksueel' }))).toEqual({
      'counter#region#noord-nederland#2023': { 'form#arbeid': -1, 'form#seksueel': 1 },
      'counter#province#DR#2023': { 'form#arbeid': -1, 'form#seksueel': 1 },
      'counter#municipality#GM0114#2023': { 'form#arbeid': -1, 'form#seksueel': 1 },
    });
  });

  it('moves a signal between municipalities and provinces', () => {
    const deltas = asMap(counterDeltas(emmen, { ...emmen, province: 'GR', municipality: 'GM0014' }));
    expect(deltas['counter#municipality#GM0114#2023']!.total).toBe(-1);
    expect(deltas['counter#municipality#GM0014#2023']!.total).toBe(1);
    expect(deltas['counter#region#noord-nederland#2023']).toEqual({ 'province#DR': -1, 'province#GR': 1, 'municipality#GM0114': -1, 'municipality#GM0014': 1 });
  });

  it('removes every count of a withdrawn signal, and changes nothing for an unchanged one', () => {
    expect(asMap(counterDeltas(emmen, null))['counter#region#noord-nederland#2023']!.total).toBe(-1);
    expect(counterDeltas(emmen, { ...emmen }).size).toBe(0);
  });

  it('does not count a withdrawn signal', () => {
    expect(contributionOf({ status: 'ingetrokken' } as StoredSignal)).toBeNull();
  });
});
