import { describe, expect, it } from 'vitest';
import { barChart, type ChartRow, columnChart, dataTable, lineChart, monthTable, niceMax } from '../../../web/pages/cijfers-charts.js';
import { MONTH_NAMES, SUPPRESSED_LABEL } from '../../../web/pages/cijfers-format.js';

const names = { labelledBy: 'per-vorm-titel', describedBy: 'per-vorm-beschrijving', id: 'per-vorm' };
const rows: ChartRow[] = [
  { key: 'arbeid', label: 'Arbeidsuitbuiting', count: 40 },
  { key: 'seksueel', label: 'Seksuele uitbuiting', count: 20 },
  { key: 'orgaanverwijdering', label: 'Orgaanhandel', count: null },
  { key: 'crimineel', label: 'Criminele uitbuiting', count: 0 },
];

/** The bars of a chart: the width (bar chart) or height (columns) of each rect of class chart-bar. */
const bars = (svg: string, dimension: 'width' | 'height') =>
  [...svg.matchAll(new RegExp(`<rect class="chart-bar"[^>]* ${dimension}="([\\d.]+)"`, 'g'))].map((m) => Number(m[1]));
const marks = (svg: string) =>
  [...svg.matchAll(/<rect class="chart-suppressed" x="[\d.]+" y="[\d.]+" width="([\d.]+)" height="([\d.]+)"/g)].map((m) => `${m[1]}x${m[2]}`);

describe('the charts are images with a name and a description', () => {
  for (const [kind, draw] of [
    ['bar', barChart],
    ['column', columnChart],
    ['line', lineChart],
  ] as const) {
    it(`${kind}: role img, named by the heading and described by the sentence beside it`, () => {
      const svg = draw(names, rows);
      expect(svg).toMatch(
        /^<svg class="chart chart--\w+" role="img" aria-labelledby="per-vorm-titel" aria-describedby="per-vorm-beschrijving" viewBox="0 0 \d+ [\d.]+"/,
      );
      expect(svg).toContain('<pattern id="per-vorm-arcering"');
      // No inline style: the CSP allows none.
      expect(svg).not.toMatch(/style=/);
    });
  }
});

describe('a suppressed count is never drawn to scale', () => {
  it('bar: draws the bars in proportion, and every suppressed count as the same hatched marker with its label', () => {
    const small = barChart(names, [{ key: 'a', label: 'A', count: null }, ...rows.slice(0, 2)]);
    const [arbeid, seksueel] = bars(small, 'width');
    expect(arbeid! / seksueel!).toBeCloseTo(2, 1);
    expect(small).toContain(`>${SUPPRESSED_LABEL.replace('<', '&lt;')}</text>`);
    // Same marker whatever the true value behind it, and whatever the scale of the others.
    const other = barChart(names, [
      { key: 'b', label: 'B', count: null },
      { key: 'c', label: 'C', count: 7 },
    ]);
    expect(marks(small)).toHaveLength(2); // the cell and the legend's key
    expect(marks(small)[0]).toBe(marks(other)[0]);
    expect(small).toContain('niet op schaal getekend');
  });

  it('column and line: a hatched marker of one size, no bar or point for it', () => {
    const months: ChartRow[] = [
      { key: '2025-01', label: 'januari 2025', count: 9 },
      { key: '2025-02', label: 'februari 2025', count: null },
      { key: '2025-03', label: 'maart 2025', count: 18 },
    ];
    const columns = columnChart(names, months);
    expect(bars(columns, 'height')).toHaveLength(2);
    expect(new Set(marks(columns.replace(/<g class="chart-legend">.*<\/g>/, ''))).size).toBe(1);
    const line = lineChart(names, months);
    expect(line.match(/<circle class="chart-point"/g)).toHaveLength(2);
    // The suppressed year breaks the line: no polyline joins only two points across it.
    expect(line).not.toContain('<polyline');
    expect(marks(line).length).toBeGreaterThan(0);
  });

  it('leaves a legend out when nothing is suppressed', () => {
    expect(
      barChart(
        names,
        rows.filter((r) => r.count !== null),
      ),
    ).not.toContain('chart-legend');
  });
});

describe('the table beside a chart', () => {
  it('has a caption, column and row headers, and every value, suppressed ones by their label', () => {
    const html = dataTable('per-vorm-tabel', 'Signalen per vorm van uitbuiting, 2025, Drenthe', 'Vorm van uitbuiting', rows);
    expect(html).toContain('<caption class="utrecht-table__caption">Signalen per vorm van uitbuiting, 2025, Drenthe</caption>');
    expect(html.match(/<th scope="col"/g)).toHaveLength(2);
    expect(html.match(/<th scope="row"/g)).toHaveLength(rows.length);
    for (const row of rows) {
      const shown = row.count === null ? SUPPRESSED_LABEL.replace('<', '&lt;') : String(row.count);
      expect(html).toMatch(new RegExp(`<th scope="row"[^>]*>${row.label}</th><td[^>]*>${shown}</td>`));
    }
  });

  it('escapes what it shows', () => {
    expect(dataTable('t', '<b>', 'x', [{ key: '<i>', label: '<i>', count: 1 }])).not.toMatch(/<b>|<i>/);
  });

  it('lays the months out as years by months, every month in its cell', () => {
    const months: ChartRow[] = Array.from({ length: 24 }, (_, i) => ({
      key: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
      label: '',
      count: i === 5 ? null : i * 3,
    }));
    const html = monthTable('per-maand-tabel', 'Per maand', months, MONTH_NAMES);
    expect(html.match(/<th scope="row"/g)).toHaveLength(2);
    expect(html.match(/<th scope="col"/g)).toHaveLength(13);
    expect(html).toContain('<abbr title="januari">jan</abbr>');
    const cells = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(cells).toEqual(months.map((m) => (m.count === null ? SUPPRESSED_LABEL.replace('<', '&lt;') : String(m.count))));
  });
});

describe('niceMax', () => {
  it('rounds an axis up to 5, 10, 20, 25, 50…', () => {
    expect([0, 3, 6, 11, 21, 26, 51, 67, 101, 240].map(niceMax)).toEqual([5, 5, 10, 20, 25, 50, 100, 100, 200, 250]);
  });
});
