import { describe, expect, it } from 'vitest';
import { applyStrip, PERSONAL_FIELDS, personalFieldsOf, stripPersonalData } from '#domain/casework/erasure/index.js';
import { type StoredSignal, StoredSignalSchema } from '#domain/signal/index.js';
import { contributionOf } from '#domain/statistics/index.js';
import { storedSignal } from '../../../../support/stored-signal.js';

const pseudonym = (c: string) => c.repeat(64);
const sealed = (n: string) => ({ alg: 'AES-256-GCM' as const, keyId: 'env-1', encryptedDataKey: `${n}AAAA`, iv: 'AAAA', ciphertext: `${n}BBBB`, tag: 'CCCC' });

/** A signal with every field a person can be in, decided on twice, and stored before the sweep (with a whole-item expiry). */
const full: StoredSignal = storedSignal({
  version: 4,
  channel: 'web',
  externalRef: pseudonym('e'),
  subject: {
    keyId: 'k-2',
    pseudonyms: { bsn: pseudonym('a'), nameDateOfBirth: pseudonym('b'), phone: pseudonym('c'), email: pseudonym('d') },
    matchKeys: [
      { keyId: 'k-1', kind: 'bsn', pseudonym: pseudonym('1') },
      { keyId: 'k-1', kind: 'phone', pseudonym: pseudonym('2') },
    ],
    minor: false,
    ageBand: '18-22',
    gender: 'v',
    nationality: 'RO',
  },
  reporter: { keyId: 'k-2', pseudonyms: { name: pseudonym('3'), phone: pseudonym('4'), email: pseudonym('5') } },
  minorsSuspected: 'nee',
  description: sealed('D'),
  legalBasis: 'meldcode',
  status: 'besproken',
  decisions: [
    {
      decisionId: '00000000-0000-4000-8000-00000000000a',
      routes: ['zorg'],
      decidedOn: '2023-04-04',
      note: sealed('N'),
      recordedAt: '2023-04-04T10:00:00.000Z',
      organisation: 'Weegtafel Drenthe',
    },
    {
      decisionId: '00000000-0000-4000-8000-00000000000b',
      routes: ['zorg', 'riec'],
      decidedOn: '2023-05-02',
      reviewOn: '2023-08-01',
      recordedAt: '2023-05-02T10:00:00.000Z',
      organisation: 'Weegtafel Drenthe',
    },
  ],
  routes: ['zorg', 'riec'],
  reviewOn: '2023-08-01',
  changedAt: '2023-05-02T10:00:00.000Z',
  expiresAt: 1_836_000_000,
});

const AT = '2026-02-01T12:00:00.000Z';

describe('stripPersonalData', () => {
  it('finds every kind of personal field in a signal that has them all', () => {
    expect(personalFieldsOf(full)).toEqual([...PERSONAL_FIELDS]);
  });

  it('removes the subject pseudonyms, match keys and nationality, the reporter, the description with its wrapped data key, every decision note and the external reference', () => {
    const plan = stripPersonalData(full, AT)!;
    expect(plan.removed).toEqual([...PERSONAL_FIELDS]);
    expect(plan.remove.sort()).toEqual(['description', 'expiresAt', 'externalRef', 'reporter']);
    const after = applyStrip(full, plan);
    expect(after.subject).toEqual({ keyId: 'k-2', pseudonyms: {}, minor: false, ageBand: '18-22', gender: 'v' });
    expect(after.decisions!.map((d) => 'note' in d)).toEqual([false, false]);
    for (const gone of ['description', 'reporter', 'externalRef', 'expiresAt'] as const) expect(after).not.toHaveProperty(gone);
    // Nothing of the ciphertexts is left, the wrapped data keys included: crypto-shredding.
    const text = JSON.stringify(after);
    for (const trace of ['DAAAA', 'DBBBB', 'NAAAA', 'NBBBB', pseudonym('a'), pseudonym('1'), pseudonym('3'), pseudonym('e'), 'RO'])
      expect(text).not.toContain(trace);
    expect(personalFieldsOf(after)).toEqual([]);
  });

  it('keeps the classification, status, routes, decision dates and legal basis, and stamps erasedAt and changedAt', () => {
    const after = applyStrip(full, stripPersonalData(full, AT)!);
    const { subject: _s, reporter: _r, description: _d, externalRef: _e, decisions, expiresAt: _x, changedAt: _c, ...rest } = full;
    expect(after).toMatchObject({ ...rest, erasedAt: AT, changedAt: AT });
    expect(after.decisions).toEqual(decisions!.map(({ note: _note, ...d }) => d));
  });

  it('leaves a record the strict stored-signal schema still accepts', () => {
    expect(StoredSignalSchema.safeParse(applyStrip(full, stripPersonalData(full, AT)!)).success).toBe(true);
  });

  it('leaves the counts exactly as they were: the contribution before and after is the same', () => {
    const after = { ...applyStrip(full, stripPersonalData(full, AT)!), version: full.version + 1 };
    expect(contributionOf(after)).toEqual(contributionOf(full));
    // Also for a signal whose minors flag comes from the web form's answer, and one without a person.
    for (const signal of [storedSignal({ minorsSuspected: 'ja', description: sealed('D') }), storedSignal({ externalRef: pseudonym('e') })]) {
      expect(contributionOf(applyStrip(signal, stripPersonalData(signal, AT)!))).toEqual(contributionOf(signal));
    }
  });

  it('has nothing to do for a signal without personal data, or one stripped already', () => {
    expect(stripPersonalData(storedSignal(), AT)).toBeUndefined();
    expect(stripPersonalData(applyStrip(full, stripPersonalData(full, AT)!), AT)).toBeUndefined();
  });

  it('strips a single kind on its own: only a decision note, only a description', () => {
    const noted = storedSignal({ decisions: [{ ...full.decisions![0]! }] });
    expect(stripPersonalData(noted, AT)).toMatchObject({ removed: ['decision-notes'], remove: [] });
    expect(stripPersonalData(storedSignal({ description: sealed('D') }), AT)).toMatchObject({ removed: ['description'], remove: ['description'] });
    expect(stripPersonalData(storedSignal({ subject: { keyId: 'k', pseudonyms: { name: pseudonym('a') }, gender: 'm' } }), AT)!.changes.subject).toEqual({
      keyId: 'k',
      pseudonyms: {},
      gender: 'm',
    });
  });
});
