import { describe, expect, it } from 'vitest';
import {
  type CellCount,
  combineCells,
  DEFAULT_DISCLOSURE_POLICY,
  EMPTY_CELL,
  protectTable,
  protectTotal,
  protectTwoWayTable,
  publishCell,
  publishWithin,
  recordKeyOf,
} from '#domain/statistics/disclosure/index.js';

const policy = DEFAULT_DISCLOSURE_POLICY;

/** A cell of `count` signals named after `label`, with their record keys summed as the aggregator would. */
function cell(label: string, count: number): CellCount {
  let keySum = 0;
  for (let i = 0; i < count; i++) keySum += recordKeyOf(`${label}-${i}`);
  return { count, keySum };
}

describe('protectTable', () => {
  it('publishes every cell on its own and the total by its own key', () => {
    const table = { arbeid: cell('arbeid', 9), seksueel: cell('seksueel', 2), criminele: cell('criminele', 0), overig: cell('overig', 14) };
    const shown = protectTable(table, policy);
    expect(shown.cells).toEqual({
      arbeid: publishCell(9, table.arbeid.keySum, policy),
      seksueel: null,
      criminele: 0,
      overig: publishCell(14, table.overig.keySum, policy),
    });
    expect(shown.total).toBe(publishCell(25, table.arbeid.keySum + table.seksueel.keySum + table.overig.keySum, policy));
  });

  it('shows a total equal to the figure its signals get anywhere else', () => {
    // The province counted directly, and the province as the total of its municipalities: the same signals.
    const municipalities = { GM0106: cell('assen', 11), GM0114: cell('emmen', 3), GM0118: cell('hoogeveen', 6) };
    const province = combineCells(Object.values(municipalities));
    expect(protectTable(municipalities, policy).total).toBe(publishCell(province.count, province.keySum, policy));
    expect(protectTotal(municipalities, policy)).toBe(protectTable(municipalities, policy).total);
  });

  it('does not make the shown cells add up to the total: that is what keeps the suppressed cell hidden', () => {
    // Over many tables, the shown total differs from the sum of its shown parts in most of them.
    let differs = 0;
    for (let t = 0; t < 200; t++) {
      const table = { a: cell(`a${t}`, 8), b: cell(`b${t}`, 12) };
      const shown = protectTable(table, policy);
      if (shown.total !== (shown.cells.a ?? 0) + (shown.cells.b ?? 0)) differs++;
    }
    expect(differs).toBeGreaterThan(100);
  });
});

describe('publishWithin', () => {
  it('suppresses a cell, zeros included, as soon as a figure that holds it is suppressed', () => {
    const eight = cell('acht', 8);
    expect(publishWithin(eight, [20, 9], policy)).toBe(publishCell(8, eight.keySum, policy));
    expect(publishWithin(eight, [20, null], policy)).toBeNull();
    expect(publishWithin(EMPTY_CELL, [null], policy)).toBeNull();
    expect(publishWithin(EMPTY_CELL, [7], policy)).toBe(0);
    expect(publishWithin(cell('twee', 2), [], policy)).toBeNull();
  });

  it('suppresses every cell of a one-way table whose total is suppressed: four months of 1 under a year "<7" are not each 1', () => {
    const months = Object.fromEntries(Array.from({ length: 12 }, (_, m) => [`m${m}`, [1, 4, 6, 10].includes(m) ? cell(`maand-${m}`, 1) : EMPTY_CELL]));
    const shown = protectTable(months, policy);
    expect(shown.total).toBeNull();
    expect(Object.values(shown.cells)).toEqual(new Array(12).fill(null));
  });
});

describe('protectTwoWayTable', () => {
  it('publishes cells, both margins and the grand total, each by its own key; a missing cell is 0', () => {
    const table = {
      GM0106: { arbeid: cell('assen-arbeid', 7), seksueel: cell('assen-seksueel', 3) },
      GM0114: { arbeid: cell('emmen-arbeid', 12) },
    };
    const shown = protectTwoWayTable(table, policy);
    const { arbeid: assenArbeid, seksueel: assenSeksueel } = table.GM0106;
    const emmenArbeid = table.GM0114.arbeid;
    expect(shown.cells).toEqual({
      GM0106: { arbeid: publishCell(7, assenArbeid.keySum, policy), seksueel: null },
      // Emmen has no seksueel signal, but the column's total (3) is suppressed, and so every cell under it.
      GM0114: { arbeid: publishCell(12, emmenArbeid.keySum, policy), seksueel: null },
    });
    expect(shown.rowTotals).toEqual({
      GM0106: publishCell(10, assenArbeid.keySum + assenSeksueel.keySum, policy),
      GM0114: publishCell(12, emmenArbeid.keySum, policy),
    });
    expect(shown.columnTotals).toEqual({ arbeid: publishCell(19, assenArbeid.keySum + emmenArbeid.keySum, policy), seksueel: null });
    expect(shown.total).toBe(publishCell(22, assenArbeid.keySum + assenSeksueel.keySum + emmenArbeid.keySum, policy));
    // The same signals, the same figure: Emmen's row total is Emmen's only cell.
    expect(shown.rowTotals.GM0114).toBe(shown.cells.GM0114.arbeid);
  });
});

describe('zeros in published tables', () => {
  it('a 0 in a one-way table is 0, or null on 1 key in 8 of its table; a 0 total stays 0', () => {
    let zeros = 0;
    let hidden = 0;
    for (let t = 0; t < 400; t++) {
      const shown = protectTable({ arbeid: cell(`a${t}`, 12), seksueel: cell(`s${t}`, 9), orgaanverwijdering: EMPTY_CELL }, policy);
      expect([0, null]).toContain(shown.cells.orgaanverwijdering);
      zeros++;
      if (shown.cells.orgaanverwijdering === null) hidden++;
    }
    expect(hidden / zeros).toBeGreaterThan(0.07);
    expect(hidden / zeros).toBeLessThan(0.2);
    expect(protectTable({ arbeid: EMPTY_CELL, seksueel: EMPTY_CELL }, policy)).toEqual({ cells: { arbeid: 0, seksueel: 0 }, total: 0 });
  });

  it('hides a 0 alike in a one-way table and in the same row of a cross table', () => {
    for (let t = 0; t < 200; t++) {
      const row = { arbeid: cell(`ra${t}`, 12), seksueel: cell(`rs${t}`, 8), crimineel: EMPTY_CELL };
      const oneWay = protectTable(row, policy);
      const other = { arbeid: cell(`oa${t}`, 9), seksueel: cell(`os${t}`, 7), crimineel: cell(`oc${t}`, 10) };
      const cross = protectTwoWayTable({ r: row, o: other }, policy);
      if (cross.columnTotals.crimineel !== null && cross.rowTotals.r !== null) expect(cross.cells.r.crimineel).toBe(oneWay.cells.crimineel);
    }
  });
});
