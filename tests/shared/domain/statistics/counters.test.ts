import { describe, expect, it } from 'vitest';
import type { StoredSignal } from '#domain/signal/index.js';
import { recordKeyOf } from '#domain/statistics/disclosure/index.js';
import {
  type Contribution,
  type ContributionV1,
  type ContributionV2,
  contributionOf,
  counterDeltas,
  DIMENSIONS_VERSION,
  isOutdated,
  minorsOf,
  NO_DECISION,
  ROUTE_VALUES,
  routeSetKey,
  routeSetOf,
} from '#domain/statistics/index.js';
import { storedSignal } from '../../../support/stored-signal.js';

const REGION = 'counter#region#noord-nederland#2023';
const PROVINCE = 'counter#province#DR#2023';
const MUNICIPALITY = 'counter#municipality#GM0114#2023';
/** The route-set items beside them, of the signals without a decision. */
const NONE = (key: string) => `${key}#routeSet#geen-besluit`;
const EVERY_ITEM = [REGION, NONE(REGION), PROVINCE, NONE(PROVINCE), MUNICIPALITY, NONE(MUNICIPALITY)];
/** The same attributes in each of the six items a signal without a decision counts in. */
const inEveryItem = (attributes: Record<string, number>) => Object.fromEntries(EVERY_ITEM.map((key) => [key, attributes]));

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
  routes: _routes,
  person: _p,
  signalledBefore: _sb,
  ...v1
}: Contribution): ContributionV1 => v1;
/** What a signal counted under dimensions version 2 holds as its applied contribution: all but the routes. */
const v2Of = ({ dimensionsVersion: _d, routes: _routes, person: _p, signalledBefore: _sb, ...v2 }: Contribution): ContributionV2 => ({
  ...v2,
  dimensionsVersion: 2,
});

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
      routes: [NO_DECISION],
      person: 'onbekend',
      signalledBefore: 'onbekend',
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
  it('counts a new signal in its region, province and municipality, and in the route-set item beside each, under every dimension and pair, each with its key sum', () => {
    const deltas = asMap(counterDeltas(null, emmen));
    expect(Object.keys(deltas)).toEqual(EVERY_ITEM);
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
      'route#geen-besluit': 1,
      'person#onbekend': 1,
      'signalledBefore#onbekend': 1,
    });
    // The same attributes in every scope and its route-set item (which the counter item names, count only).
    for (const key of EVERY_ITEM) expect(deltas[key]).toEqual({ ...expected, 'routeSet#geen-besluit': 1 });
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
    expect(Object.keys(deltas)).toEqual([REGION, NONE(REGION), PROVINCE, NONE(PROVINCE)]);
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

  it.each(corrections)('moves %s, and its key sums, in every scope and route-set item and nothing else', (_, change, moved) => {
    expect(asMap(counterDeltas(emmen, { ...emmen, ...change }))).toEqual(inEveryItem(withKeys(moved)));
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
      routes: ['riec', 'zorg'],
      person: 'eerder-dit-jaar',
      signalledBefore: 'ja',
    };
    const deltas = asMap(counterDeltas(emmen, corrected));
    const region = deltas[REGION]!;
    const before = asMap(counterDeltas(null, emmen))[REGION]!;
    const after = asMap(counterDeltas(null, corrected))[REGION]!;
    // Only the total, province and municipality stay where they were.
    const kept = ['total', 'province#DR', 'municipality#GM0114'].flatMap((a) => [a, `k:${a}`]);
    const expected: Record<string, number> = {};
    for (const [a, n] of Object.entries(before)) if (!kept.includes(a)) expected[a] = -n;
    for (const [a, n] of Object.entries(after)) if (!kept.includes(a)) expected[a] = (expected[a] ?? 0) + n;
    expect(region).toEqual(expected);
    // 24 attributes before (two further forms, no decision), 24 after (one further form, two routes), 3 of
    // them kept: 42 moved, each with its key sum; and the route-set counts, one out and one in.
    expect(Object.keys(region)).toHaveLength(2 * (24 - 3 + (24 - 3)) + 2);
    expect(region['k:form#crimineel']).toBe(r);
    expect(region['k:additionalForm#crimineel']).toBe(-r);
    expect(region).toMatchObject({ 'route#geen-besluit': -1, 'route#riec': 1, 'route#zorg': 1, 'routeSet#geen-besluit': -1, 'routeSet#riec+zorg': 1 });
    // The signal leaves the route-set items of no decision whole and enters those of riec+zorg whole.
    expect(deltas[NONE(REGION)]).toEqual(Object.fromEntries(Object.entries(before).map(([a, n]) => [a, -n])));
    expect(deltas[routeSetKey(REGION, 'riec+zorg')]).toEqual(after);
    // Nine items in all: three counter items, three route-set items left, three entered; far under a transaction's 100.
    expect(Object.keys(deltas)).toHaveLength(9);
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

describe('a contribution counted under dimensions version 2, before the routes', () => {
  const old = v2Of(emmen);

  it('is outdated', () => {
    expect(isOutdated(old)).toBe(true);
    expect(DIMENSIONS_VERSION).toBe(3);
  });

  it('is subtracted as what it added: every count and key sum of version 2, no route and no route-set item', () => {
    const deltas = asMap(counterDeltas(old, null));
    expect(Object.keys(deltas)).toEqual([REGION, PROVINCE, MUNICIPALITY]);
    const region = deltas[REGION]!;
    expect(Object.keys(region).filter((a) => a.startsWith('route'))).toEqual([]);
    // Every attribute the current counting adds, but the routes and the person, negated.
    const all = asMap(counterDeltas(null, emmen))[REGION]!;
    expect(region).toEqual(Object.fromEntries(Object.entries(all).flatMap(([a, n]) => (/^(k:)?(route|person#|signalledBefore#)/.test(a) ? [] : [[a, -n]]))));
  });

  it('rebuilt unchanged, adds only the routes and the person to the counter items and the whole signal to its route-set items', () => {
    const deltas = asMap(counterDeltas(old, emmen));
    expect(Object.keys(deltas)).toEqual([REGION, PROVINCE, MUNICIPALITY, NONE(REGION), NONE(PROVINCE), NONE(MUNICIPALITY)]);
    for (const key of [REGION, PROVINCE, MUNICIPALITY])
      expect(deltas[key]).toEqual({
        ...withKeys({ 'route#geen-besluit': 1, 'person#onbekend': 1, 'signalledBefore#onbekend': 1 }),
        'routeSet#geen-besluit': 1,
      });
    const all = asMap(counterDeltas(null, emmen));
    for (const key of [REGION, PROVINCE, MUNICIPALITY]) expect(deltas[NONE(key)]).toEqual(all[NONE(key)]);
  });

  it('corrected by a decision, moves what changed and adds the routes it now has: nothing subtracted that was never added', () => {
    const deltas = asMap(counterDeltas(old, { ...emmen, status: 'besproken', routes: ['riec'] }));
    expect(deltas[REGION]).toEqual({
      'status#ontvangen': -1,
      'k:status#ontvangen': -r,
      'status#besproken': 1,
      'k:status#besproken': r,
      'route#riec': 1,
      'k:route#riec': r,
      'routeSet#riec': 1,
      ...withKeys({ 'person#onbekend': 1, 'signalledBefore#onbekend': 1 }),
    });
    expect(deltas[NONE(REGION)]).toBeUndefined();
    expect(deltas[routeSetKey(REGION, 'riec')]).toMatchObject({ total: 1, 'k:total': r, 'route#riec': 1, 'status#besproken': 1 });
  });
});

describe('routes', () => {
  it('are the latest decision’s, each once and sorted, or geen-besluit before a decision; the route set names them together', () => {
    expect(contributionOf(storedSignal({ routes: ['zorg', 'riec', 'zorg'] }))!.routes).toEqual(['riec', 'zorg']);
    expect(contributionOf(storedSignal())!.routes).toEqual([NO_DECISION]);
    expect(contributionOf(storedSignal({ routes: [] }))!.routes).toEqual([NO_DECISION]);
    expect(routeSetOf(['zorg', 'riec'])).toBe('riec+zorg');
    expect(ROUTE_VALUES).toEqual(['zorg', 'zorg-en-strafrecht', 'riec', 'advies', 'geen-vervolg', 'geen-besluit']);
  });

  it('several at once each count once beside the total, not in it, and the signal counts in one route-set item per scope', () => {
    const both = contributionOf(storedSignal({ signalId: full.signalId, routes: ['riec', 'zorg-en-strafrecht'] }))!;
    const deltas = asMap(counterDeltas(null, both));
    expect(Object.keys(deltas)).toEqual([
      REGION,
      routeSetKey(REGION, 'riec+zorg-en-strafrecht'),
      PROVINCE,
      routeSetKey(PROVINCE, 'riec+zorg-en-strafrecht'),
      MUNICIPALITY,
      routeSetKey(MUNICIPALITY, 'riec+zorg-en-strafrecht'),
    ]);
    expect(deltas[REGION]).toMatchObject({
      total: 1,
      'route#riec': 1,
      'route#zorg-en-strafrecht': 1,
      'k:route#riec': r,
      'routeSet#riec+zorg-en-strafrecht': 1,
    });
    expect(deltas[REGION]!['route#geen-besluit']).toBeUndefined();
  });

  it('a later decision moves the routes in the counter items and the signal, whole, from one route-set item to the other', () => {
    const riec = { ...emmen, routes: ['riec'] } satisfies Contribution;
    const zorg = { ...emmen, routes: ['zorg'] } satisfies Contribution;
    const deltas = asMap(counterDeltas(riec, zorg));
    expect(deltas[REGION]).toEqual({ 'route#riec': -1, 'k:route#riec': -r, 'route#zorg': 1, 'k:route#zorg': r, 'routeSet#riec': -1, 'routeSet#zorg': 1 });
    const riecItem = asMap(counterDeltas(null, riec))[routeSetKey(REGION, 'riec')]!;
    expect(deltas[routeSetKey(REGION, 'riec')]).toEqual(Object.fromEntries(Object.entries(riecItem).map(([a, n]) => [a, -n])));
    expect(deltas[routeSetKey(REGION, 'zorg')]).toEqual(asMap(counterDeltas(null, zorg))[routeSetKey(REGION, 'zorg')]);
  });

  it('a correction that moves a signal to another region, province, municipality and route set touches 12 counter items at most', () => {
    const elsewhere: Contribution = { ...emmen, region: 'elders', province: 'GR', municipality: 'GM0014', routes: ['advies'] };
    expect(counterDeltas(emmen, elsewhere).size).toBe(12);
  });
});

describe('the person of a signal', () => {
  it('is nieuw, eerder-dit-jaar or onbekend, and signalled before ja, nee or onbekend, from the standing stored on the signal', () => {
    const standing = (person?: StoredSignal['person']) => {
      const c = contributionOf(storedSignal(person ? { person } : {}))!;
      return [c.person, c.signalledBefore];
    };
    expect(standing()).toEqual(['onbekend', 'onbekend']);
    expect(standing({ signalledBefore: false, earlierInYear: false })).toEqual(['nieuw', 'nee']);
    // Signalled in an earlier year only: a new person for this year, signalled before all the same.
    expect(standing({ signalledBefore: true, earlierInYear: false })).toEqual(['nieuw', 'ja']);
    expect(standing({ signalledBefore: true, earlierInYear: true })).toEqual(['eerder-dit-jaar', 'ja']);
  });

  it('once known, moves the signal from onbekend in both dimensions, key sums included, and nothing else', () => {
    const known = contributionOf({ ...full, version: 2, person: { signalledBefore: true, earlierInYear: true } })!;
    const moved = {
      ...withKeys({ 'person#eerder-dit-jaar': 1, 'signalledBefore#ja': 1 }),
      ...withKeys({ 'person#onbekend': -1, 'signalledBefore#onbekend': -1 }),
    };
    expect(asMap(counterDeltas(emmen, known))).toEqual(inEveryItem(moved));
  });

  it('counted under version 3 before the person was (no person in the applied contribution), is subtracted without it and rebuilt', () => {
    const { person: _p, signalledBefore: _sb, ...before } = emmen;
    const withdrawn = asMap(counterDeltas(before, null))[REGION]!;
    expect(Object.keys(withdrawn).filter((a) => /person|signalledBefore/.test(a))).toEqual([]);
    expect(asMap(counterDeltas(before, emmen))).toEqual(inEveryItem(withKeys({ 'person#onbekend': 1, 'signalledBefore#onbekend': 1 })));
    expect(isOutdated(before)).toBe(true);
    expect(isOutdated(emmen)).toBe(false);
  });
});
