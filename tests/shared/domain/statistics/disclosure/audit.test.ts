import { describe, expect, it } from 'vitest';
import { type AuditFigure, DEFAULT_DISCLOSURE_POLICY, publishAudited, publishCell, type SumRelation } from '#domain/statistics/disclosure/index.js';

const policy = DEFAULT_DISCLOSURE_POLICY;

// Cell keys of a count of 7 or more (CELL_KEY_PTABLE): 0-15 draw -2, 240-255 draw +2.
const BOTTOM = 0;
const TOP = 240;

/**
 * A small count between two sums that cross, as a cross table's row and column do: A = h + B and
 * C = h + D (+ Z). A is 10 shown as 8 and B is 9 shown as 11, so h is at most 10 - 9 = 1; C is 11 shown
 * as 13 and D is 10 shown as 8, so h is at least 11 - 10 = 1. With a 0 in the second sum the audit hides
 * it: then h may be 0 too.
 */
function crossing(withZero: boolean): { figures: AuditFigure[]; relations: SumRelation[] } {
  const figures: AuditFigure[] = [
    { count: 10, keySum: BOTTOM },
    { count: 11, keySum: TOP },
    { count: 1, keySum: 77, tablePart: true },
    { count: 9, keySum: TOP, tablePart: true },
    { count: 10, keySum: BOTTOM, tablePart: true },
    ...(withZero ? [{ count: 0, keySum: 0, tablePart: true, zeroKey: 255 }] : []),
  ];
  return {
    figures,
    relations: [
      { total: 0, parts: [2, 3] },
      { total: 1, parts: withZero ? [2, 4, 5] : [2, 4] },
    ],
  };
}

describe('publishAudited', () => {
  it('publishes as publishCell does, inside its containers, when nothing is pinned', () => {
    const figures: AuditFigure[] = [
      { count: 30, keySum: 100 },
      { count: 20, keySum: 50, within: [0], tablePart: true },
      { count: 10, keySum: 50, within: [0], tablePart: true },
    ];
    const { published, withheld } = publishAudited(figures, [{ total: 0, parts: [1, 2] }], policy);
    expect(published).toEqual([publishCell(30, 100, policy), publishCell(20, 50, policy), publishCell(10, 50, policy)]);
    expect(withheld).toBe(false);
  });

  it('shows a 6 that its sums pin down (a count that may be shown), with the noise of its key', () => {
    // 9 at the bottom of its noise (7), the total 15 at the top (17): the 6 suppressed on key 230 is 6.
    const figures: AuditFigure[] = [
      { count: 15, keySum: TOP },
      { count: 9, keySum: 10, within: [0], tablePart: true },
      { count: 6, keySum: 230, within: [0], tablePart: true },
    ];
    expect(publishCell(6, 230, policy)).toBeNull();
    expect(publishAudited(figures, [{ total: 0, parts: [1, 2] }], policy).published).toEqual([17, 7, 8]);
  });

  it('hides the zeros beside a small count that two crossing sums pin down, so that it may be 0 as well', () => {
    const bare = crossing(true);
    // Without the audit (zeroKeys 0), h is pinned: the 0 is shown.
    expect(publishAudited(bare.figures, bare.relations, { ...policy, zeroKeys: 0 }).published).toEqual([8, 13, null, 11, 8, 0]);
    const audited = publishAudited(bare.figures, bare.relations, policy);
    expect(audited).toEqual({ published: [8, 13, null, 11, 8, null], withheld: false });
  });

  it('says withheld when a small count stays pinned and no zero is left to hide', () => {
    const { figures, relations } = crossing(false);
    expect(publishAudited(figures, relations, policy)).toEqual({ published: [8, 13, null, 11, 8], withheld: true });
  });

  it('leaves out as an equality a sum the true counts do not meet, keeping it as "at least" where the total holds the parts', () => {
    const figures: AuditFigure[] = [
      { count: 20, keySum: 90 },
      { count: 9, keySum: 90, within: [0], tablePart: true },
      { count: 2, keySum: 30, within: [0], tablePart: true },
    ];
    // 9 + 2 is not 20: the attacker may not subtract, so the 2 keeps its range.
    expect(publishAudited(figures, [{ total: 0, parts: [1, 2] }], policy).withheld).toBe(false);
  });

  it('refuses a figure inside a later one', () => {
    expect(() =>
      publishAudited(
        [
          { count: 3, keySum: 0, within: [1] },
          { count: 9, keySum: 0 },
        ],
        [],
        policy,
      ),
    ).toThrow(RangeError);
  });
});
