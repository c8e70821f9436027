import { describe, expect, it } from 'vitest';
import type { StoredSignal } from '#domain/signal/index.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';
import { type Contribution, type ContributionV1, contributionOf, counterDeltas, DIMENSIONS_VERSION, isOutdated, minorsOf } from '#domain/statistics/index.js';
import { storedSignal } from '../../../support/stored-signal.js';

const REGION = 'counter#region#noord-nederland#2023';
const PROVINCE = 'counter#province#DR#2023';
const MUNICIPALITY = 'counter#municipality#GM0114#2023';

/** Emmen, arbeid, March 2023, with every field the dimensions read given. */
const full = storedSignal({
  exploitationMunicipality: 'GM0106',
  sector: 'horeca',
  subject: { keyId: 'k-1', pseudonyms: {}, minor: false, ageBand: '18-22', gender: 'v' },
  additionalForms: ['seksueel', 'crimineel', 'seksueel'],
});
const r = recordKeyOf(full.signalId);
const emmen = contributionOf(full)!;

const asMap = (deltas: ReturnType<typeof counterDeltas>) => Object.fromEntries([...deltas].map(([k, v]) => [k, Object.fromEntries(v)]));
/** Each attribute with its key sum beside it: `{ a: n, 'k:a': n * key }`. */
const withKeys = (counts: Record<string, number>, key = r) =>
  Object.fromEntries(
    Object.entries(counts).flatMap(([attribute, n]) => [
      [attribute, n],
      [`k:${attribute}`, n * key],
    ]),
  );
/** What a signal counted under dimensions version 1 holds as its applied contribution. */
const v1Of = ({
  dimensionsVersion: _d,
  recordKey: _r,
  exploitationMunicipality: _e,
  minors: _m,
  sector: _s,
  ageBand: _a,
  gender: _g,
  status: _st,
  additionalForms: _f,
  ...v1
}: Contribution): ContributionV1 => v1;

describe('contributionOf', () => {
  it('reads every dimension of a stored signal, under the current dimensions version and with its record key', () => {
    expect(emmen).toEqual({
      dimensionsVersion: DIMENSIONS_VERSION,
      recordKey: r,
      year: 2023,
      month: '2023-03',
      region: 'noord-nederland',
      province: 'DR',
      municipality: 'GM0114',
      form: 'arbeid',
      sourceType: 'gemeente',
      channel: 'api',
      signalType: 'melding',
      exploitationMunicipality: 'GM0106',
      minors: 'nee',
      sector: 'horeca',
      ageBand: '18-22',
      gender: 'v',
      status: 'ontvangen',
      additionalForms: ['crimineel', 'seksueel'],
    });
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThan(256);
  });

  it('counts what is absent as onbekend, and no further forms', () => {
    expect(contributionOf(storedSignal())).toMatchObject({
      exploitationMunicipality: 'onbekend',
      minors: 'onbekend',
      sector: 'onbekend',
      ageBand: 'onbekend',
      gender: 'onbekend',
      additionalForms: [],
    });
    expect(contributionOf(storedSignal({ status: 'te-verrijken' }))!.status).toBe('te-verrijken');
  });

  it('does not count a withdrawn signal', () => {
    expect(contributionOf(storedSignal({ status: 'ingetrokken' }))).toBeNull();
  });
});

describe('minorsOf', () => {
  const subject = (ageBand?: NonNullable<StoredSignal['subject']>['ageBand']) => ({ keyId: 'k-1', pseudonyms: {}, ...(ageBand && { ageBand }) });

  it.each([
    ['0-11', 'ja'],
    ['12-17', 'ja'],
    ['18-22', 'nee'],
    ['23-29', 'nee'],
    ['30-39', 'nee'],
    ['40-49', 'nee'],
    ['50-64', 'nee'],
    ['65+', 'nee'],
  ] as const)('takes age band %s as %s, whatever the web form said', (ageBand, minors) => {
    expect(minorsOf({ subject: subject(ageBand) })).toBe(minors);
    expect(minorsOf({ subject: subject(ageBand), minorsSuspected: minors === 'ja' ? 'nee' : 'ja' })).toBe(minors);
  });

  it.each([
    ['ja', 'ja'],
    ['nee', 'nee'],
    ['weet-niet', 'onbekend'],
  ] as const)("without an age band, takes the web form's %s as %s", (minorsSuspected, minors) => {
    expect(minorsOf({ minorsSuspected })).toBe(minors);
    expect(minorsOf({ subject: subject(), minorsSuspected })).toBe(minors);
  });

  it('is onbekend without either', () => {
    expect(minorsOf({})).toBe('onbekend');
    expect(minorsOf({ subject: subject() })).toBe('onbekend');
  });
});

describe('counterDeltas', () => {
  it('counts a new signal in its region, province and municipality, under every dimension and pair, each with its key sum', () => {
    const deltas = asMap(counterDeltas(null, emmen));
    expect(Object.keys(deltas)).toEqual([REGION, PROVINCE, MUNICIPALITY]);
    const expected = withKeys({
      total: 1,
      'form#arbeid': 1,
      'province#DR': 1,
      'municipality#GM0114': 1,
      'sourceType#gemeente': 1,
      'channel#api': 1,
      'signalType#melding': 1,
      'month#2023-03': 1,
      'exploitationMunicipality#GM0106': 1,
      'minors#nee': 1,
      'sector#horeca': 1,
      'ageBand#18-22': 1,
      'gender#v': 1,
      'status#ontvangen': 1,
      'additionalForm#crimineel': 1,
      'additionalForm#seksueel': 1,
      'municipality|form#GM0114|arbeid': 1,
      'month|form#2023-03|arbeid': 1,
      'sourceType|form#gemeente|arbeid': 1,
      'province|form#DR|arbeid': 1,
      'exploitationMunicipality|form#GM0106|arbeid': 1,
    });
    // The same attributes in every scope: an item answers for its area alone.
    for (const key of [REGION, PROVINCE, MUNICIPALITY]) expect(deltas[key]).toEqual(expected);
  });

  it('counts a signal without the optional fields under onbekend', () => {
    const minimal = storedSignal();
    expect(asMap(counterDeltas(null, contributionOf(minimal)))[REGION]).toMatchObject(
      withKeys(
        {
          'exploitationMunicipality#onbekend': 1,
          'minors#onbekend': 1,
          'sector#onbekend': 1,
          'ageBand#onbekend': 1,
          'gender#onbekend': 1,
          'exploitationMunicipality|form#onbekend|arbeid': 1,
        },
        recordKeyOf(minimal.signalId),
      ),
    );
  });

  it('counts each further form once, beside the total and not in it', () => {
    const region = asMap(counterDeltas(null, emmen))[REGION]!;
    expect(Object.keys(region).filter((a) => a.startsWith('additionalForm#'))).toEqual(['additionalForm#crimineel', 'additionalForm#seksueel']);
    expect(region.total).toBe(1);
    expect(region['form#seksueel']).toBeUndefined();
  });

  it('counts an unknown municipality in its province and region only', () => {
    const deltas = asMap(counterDeltas(null, { ...emmen, municipality: 'onbekend' }));
    expect(Object.keys(deltas)).toEqual([REGION, PROVINCE]);
    expect(deltas[PROVINCE]!['municipality#onbekend']).toBe(1);
    expect(deltas[PROVINCE]!['municipality|form#onbekend|arbeid']).toBe(1);
  });

  /** A correction of one field: which attributes it must move from and to, in every scope. */
  const corrections: [string, Partial<Contribution>, Record<string, number>][] = [
    ['the sector', { sector: 'bouw' }, { 'sector#horeca': -1, 'sector#bouw': 1 }],
    ['the age band', { ageBand: '30-39' }, { 'ageBand#18-22': -1, 'ageBand#30-39': 1 }],
    ['the gender', { gender: 'x' }, { 'gender#v': -1, 'gender#x': 1 }],
    ['minors', { minors: 'ja' }, { 'minors#nee': -1, 'minors#ja': 1 }],
    ['the status', { status: 'te-verrijken' }, { 'status#ontvangen': -1, 'status#te-verrijken': 1 }],
    ['the further forms', { additionalForms: ['crimineel', 'orgaanverwijdering'] }, { 'additionalForm#seksueel': -1, 'additionalForm#orgaanverwijdering': 1 }],
    [
      'the exploitation municipality',
      { exploitationMunicipality: 'GM0109' },
      {
        'exploitationMunicipality#GM0106': -1,
        'exploitationMunicipality#GM0109': 1,
        'exploitationMunicipality|form#GM0106|arbeid': -1,
        'exploitationMunicipality|form#GM0109|arbeid': 1,
      },
    ],
    [
      'the source type',
      { sourceType: 'politie' },
      { 'sourceType#gemeente': -1, 'sourceType#politie': 1, 'sourceType|form#gemeente|arbeid': -1, 'sourceType|form#politie|arbeid': 1 },
    ],
    ['the month', { month: '2023-07' }, { 'month#2023-03': -1, 'month#2023-07': 1, 'month|form#2023-03|arbeid': -1, 'month|form#2023-07|arbeid': 1 }],
    [
      'the form, in every pair',
      { form: 'seksueel' },
      {
        'form#arbeid': -1,
        'form#seksueel': 1,
        'municipality|form#GM0114|arbeid': -1,
        'municipality|form#GM0114|seksueel': 1,
        'month|form#2023-03|arbeid': -1,
        'month|form#2023-03|seksueel': 1,
        'sourceType|form#gemeente|arbeid': -1,
        'sourceType|form#gemeente|seksueel': 1,
        'province|form#DR|arbeid': -1,
        'province|form#DR|seksueel': 1,
        'exploitationMunicipality|form#GM0106|arbeid': -1,
        'exploitationMunicipality|form#GM0106|seksueel': 1,
      },
    ],
  ];

  it.each(corrections)('moves %s, and its key sums, in every scope and nothing else', (_, change, moved) => {
    expect(asMap(counterDeltas(emmen, { ...emmen, ...change }))).toEqual({
      [REGION]: withKeys(moved),
      [PROVINCE]: withKeys(moved),
      [MUNICIPALITY]: withKeys(moved),
    });
  });

  it('moves a signal between municipalities and provinces: the items it leaves lose all, those it enters gain all, the region moves the pairs', () => {
    const moved = { ...emmen, province: 'GR', municipality: 'GM0014' };
    const deltas = asMap(counterDeltas(emmen, moved));
    const all = asMap(counterDeltas(null, moved))['counter#municipality#GM0014#2023']!;
    expect(deltas['counter#municipality#GM0014#2023']).toEqual(all);
    expect(deltas['counter#province#GR#2023']).toEqual(all);
    expect(deltas[MUNICIPALITY]).toEqual(Object.fromEntries(Object.entries(asMap(counterDeltas(null, emmen))[MUNICIPALITY]!).map(([a, n]) => [a, -n])));
    expect(deltas[REGION]).toEqual(
      withKeys({
        'province#DR': -1,
        'province#GR': 1,
        'municipality#GM0114': -1,
        'municipality#GM0014': 1,
        'municipality|form#GM0114|arbeid': -1,
        'municipality|form#GM0014|arbeid': 1,
        'province|form#DR|arbeid': -1,
        'province|form#GR|arbeid': 1,
      }),
    );
  });

  it('moves every affected attribute and its key sum when a correction changes every dimension at once', () => {
    const corrected: Contribution = {
      ...emmen,
      month: '2023-11',
      form: 'crimineel',
      sourceType: 'politie',
      channel: 'web',
      signalType: 'casus',
      exploitationMunicipality: 'onbekend',
      minors: 'ja',
      sector: 'online',
      ageBand: '12-17',
      gender: 'm',
      status: 'te-verrijken',
      additionalForms: ['arbeid'],
    };
    const region = asMap(counterDeltas(emmen, corrected))[REGION]!;
    const before = asMap(counterDeltas(null, emmen))[REGION]!;
    const after = asMap(counterDeltas(null, corrected))[REGION]!;
    // Only the total, province and municipality stay where they were.
    const kept = ['total', 'province#DR', 'municipality#GM0114'].flatMap((a) => [a, `k:${a}`]);
    const expected: Record<string, number> = {};
    for (const [a, n] of Object.entries(before)) if (!kept.includes(a)) expected[a] = -n;
    for (const [a, n] of Object.entries(after)) if (!kept.includes(a)) expected[a] = (expected[a] ?? 0) + n;
    expect(region).toEqual(expected);
    // 21 attributes before (two further forms), 20 after (one), 3 of them kept: 35 moved, each with its key sum.
    expect(Object.keys(region)).toHaveLength(2 * (21 - 3 + (20 - 3)));
    expect(region['k:form#crimineel']).toBe(r);
    expect(region['k:additionalForm#crimineel']).toBe(-r);
  });

  it('removes every count and key sum of a withdrawn signal, and changes nothing for an unchanged one', () => {
    const added = asMap(counterDeltas(null, emmen));
    const negated = Object.fromEntries(Object.entries(added).map(([key, item]) => [key, Object.fromEntries(Object.entries(item).map(([a, n]) => [a, -n]))]));
    expect(asMap(counterDeltas(emmen, null))).toEqual(negated);
    expect(counterDeltas(emmen, structuredClone(emmen)).size).toBe(0);
  });
});

describe('a contribution counted under an older dimensions version', () => {
  const old = v1Of(emmen);

  it('is outdated, unlike a current one or nothing', () => {
    expect(isOutdated(old)).toBe(true);
    expect(isOutdated(emmen)).toBe(false);
    expect(isOutdated(null)).toBe(false);
  });

  it('is subtracted as what it added: its eight counts, no key sums', () => {
    expect(asMap(counterDeltas(old, null))[REGION]).toEqual({
      total: -1,
      'form#arbeid': -1,
      'province#DR': -1,
      'municipality#GM0114': -1,
      'sourceType#gemeente': -1,
      'channel#api': -1,
      'signalType#melding': -1,
      'month#2023-03': -1,
    });
  });

  it('rebuilt unchanged, adds only the new dimensions and every key sum, and leaves the old counts alone', () => {
    const region = asMap(counterDeltas(old, emmen))[REGION]!;
    const all = asMap(counterDeltas(null, emmen))[REGION]!;
    const oldCounts = [
      'total',
      'form#arbeid',
      'province#DR',
      'municipality#GM0114',
      'sourceType#gemeente',
      'channel#api',
      'signalType#melding',
      'month#2023-03',
    ];
    expect(region).toEqual(Object.fromEntries(Object.entries(all).filter(([a]) => !oldCounts.includes(a))));
    for (const a of oldCounts) expect(region[`k:${a}`]).toBe(r);
  });

  it('corrected, moves the old counts it had and adds the rest under the new dimensions: no key sum subtracted that was never added', () => {
    const region = asMap(counterDeltas(old, { ...emmen, form: 'seksueel', sector: 'bouw' }))[REGION]!;
    expect(region['form#arbeid']).toBe(-1);
    expect(region['k:form#arbeid']).toBeUndefined();
    expect(region['form#seksueel']).toBe(1);
    expect(region['k:form#seksueel']).toBe(r);
    expect(region['sector#bouw']).toBe(1);
    expect(region['sector#horeca']).toBeUndefined();
    expect(region.total).toBeUndefined();
    expect(region['k:total']).toBe(r);
  });
});
