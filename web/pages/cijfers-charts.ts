import { type Count, formatCount, SUPPRESSED_DESCRIPTION, SUPPRESSED_LABEL } from './cijfers-format.js';
import { escapeHtml } from './html.js';

/**
 * The monitor's charts as inline SVG, drawn on the server and, after a change, in the browser by the same
 * functions; and the table beside each chart, which holds every value. A chart is an image with a name (the
 * section's heading) and a description (a sentence beside it); its texts are for the eye only.
 *
 * A suppressed count (null) is never drawn to scale: it gets the same hatched marker of a fixed size and
 * the label ("<7"), whatever it is, so nothing in the picture tells one small count from another.
 */

export interface ChartRow {
  /** The value's code: a key in the statistics answer. */
  key: string;
  /** Its name, in the table. */
  label: string;
  /** A shorter name under a column or beside a bar, where the full one does not fit. */
  short?: string;
  count: Count;
}

export interface ChartNames {
  /** The id of the element that names the chart (its heading). */
  labelledBy: string;
  /** The id of the element that describes it. */
  describedBy: string;
  /** A prefix for the ids inside the SVG (its hatch pattern). */
  id: string;
}

const WIDTH = 560;
const FONT = 14;
const SMALL = 12;
const BAR_FILL = '#24527f';
const HATCH_STROKE = '#4d4d4d';

/** Coordinates with at most one decimal, so that the markup stays short and the same in Node and browsers. */
const n = (value: number) => String(Math.round(value * 10) / 10);

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A round upper bound for an axis: 5, 10, 20, 25, 50, 100… */
export function niceMax(max: number): number {
  if (max <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((m) => m >= max)!;
}

const maxOf = (rows: readonly ChartRow[]) => Math.max(0, ...rows.map((r) => r.count ?? 0));

function hatchPattern(id: string): string {
  return `<defs><pattern id="${id}-arcering" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${HATCH_STROKE}" stroke-width="2.5"/></pattern></defs>`;
}

/** A hatched box of fixed size: the marker of a suppressed count. */
const suppressedMark = (id: string, x: number, y: number, width: number, height: number) =>
  `<rect class="chart-suppressed" x="${n(x)}" y="${n(y)}" width="${n(width)}" height="${n(height)}" fill="url(#${id}-arcering)" stroke="${HATCH_STROKE}" stroke-width="1"/>`;

/** The key to the hatched marker, under a chart that has one. */
function legend(id: string, y: number): string {
  return `<g class="chart-legend">${suppressedMark(id, 8, y + 4, 16, 12)}<text x="30" y="${n(y + 14)}" font-size="${FONT}">${escapeHtml(`${SUPPRESSED_LABEL}: ${SUPPRESSED_DESCRIPTION}, niet op schaal getekend`)}</text></g>`;
}

const LEGEND_HEIGHT = 24;

function svg(names: ChartNames, kind: string, height: number, content: string, width = WIDTH): string {
  return `<svg class="chart chart--${kind}" role="img" aria-labelledby="${names.labelledBy}" aria-describedby="${names.describedBy}" viewBox="0 0 ${width} ${n(height)}" width="${width}" height="${n(height)}" font-family="inherit" xmlns="http://www.w3.org/2000/svg">${hatchPattern(names.id)}${content}</svg>`;
}

/** Horizontal bars, one per row, with the value beside each: for categories with long names (municipalities). */
export function barChart(names: ChartNames, rows: readonly ChartRow[]): string {
  const row = 26;
  const bar = 16;
  const labelWidth = 190;
  const valueWidth = 48;
  const span = WIDTH - labelWidth - valueWidth - 8;
  const max = Math.max(1, maxOf(rows));
  const suppressedWidth = 22;
  const parts = rows.map((r, i) => {
    const top = i * row + 4;
    const middle = top + row / 2;
    const label = `<text x="${labelWidth - 8}" y="${n(middle + 4)}" text-anchor="end" font-size="${FONT}">${escapeHtml(clip(r.short ?? r.label, 26))}</text>`;
    if (r.count === null) {
      return `${label}${suppressedMark(names.id, labelWidth, middle - bar / 2, suppressedWidth, bar)}<text class="chart-value" x="${labelWidth + suppressedWidth + 6}" y="${n(middle + 4)}" font-size="${FONT}">${escapeHtml(SUPPRESSED_LABEL)}</text>`;
    }
    const width = (r.count / max) * span;
    const shape =
      r.count > 0 ? `<rect class="chart-bar" x="${labelWidth}" y="${n(middle - bar / 2)}" width="${n(width)}" height="${bar}" fill="${BAR_FILL}"/>` : '';
    return `${label}${shape}<text class="chart-value" x="${n(labelWidth + width + 6)}" y="${n(middle + 4)}" font-size="${FONT}">${formatCount(r.count)}</text>`;
  });
  const plotHeight = rows.length * row + 8;
  const axis = `<line class="chart-axis" x1="${labelWidth}" y1="0" x2="${labelWidth}" y2="${plotHeight - 4}" stroke="#333333" stroke-width="1"/>`;
  const hasSuppressed = rows.some((r) => r.count === null);
  const height = plotHeight + (hasSuppressed ? LEGEND_HEIGHT : 0);
  return svg(names, 'bar', height, `${axis}${parts.join('')}${hasSuppressed ? legend(names.id, plotHeight) : ''}`);
}

/**
 * Vertical columns in time order (months). Under the columns their short names when there are at most 12,
 * else the year under each January; the values above them when there are at most 24.
 */
export function columnChart(names: ChartNames, rows: readonly ChartRow[]): string {
  // Wider for many months, so that a column stays visible: up to 960 wide for five years.
  const width = Math.max(WIDTH, Math.min(960, rows.length * 16));
  const left = 8;
  const top = 20;
  const plot = 160;
  const slot = (width - 2 * left) / Math.max(1, rows.length);
  const column = Math.max(1, slot * 0.7);
  const max = Math.max(1, maxOf(rows));
  const showValues = rows.length <= 24;
  const base = top + plot;
  const parts = rows.map((r, i) => {
    const x = left + i * slot + (slot - column) / 2;
    const centre = x + column / 2;
    let shape = '';
    let valueY = base - 4;
    if (r.count === null) {
      shape = suppressedMark(names.id, x, base - 12, column, 12);
      valueY = base - 16;
    } else if (r.count > 0) {
      const height = (r.count / max) * plot;
      shape = `<rect class="chart-bar" x="${n(x)}" y="${n(base - height)}" width="${n(column)}" height="${n(height)}" fill="${BAR_FILL}"/>`;
      valueY = base - height - 4;
    }
    const value = showValues
      ? `<text class="chart-value" x="${n(centre)}" y="${n(valueY)}" text-anchor="middle" font-size="${SMALL}">${formatCount(r.count)}</text>`
      : '';
    const isJanuary = r.key.endsWith('-01');
    const tick = rows.length <= 12 ? (r.short ?? r.label) : isJanuary ? r.key.slice(0, 4) : '';
    const label = tick
      ? `<text x="${n(rows.length <= 12 ? centre : x)}" y="${base + 16}" text-anchor="${rows.length <= 12 ? 'middle' : 'start'}" font-size="${FONT}">${escapeHtml(tick)}</text>`
      : '';
    const mark = rows.length > 12 && isJanuary ? `<line x1="${n(x)}" y1="${base}" x2="${n(x)}" y2="${base + 4}" stroke="#333333" stroke-width="1"/>` : '';
    return `${shape}${value}${label}${mark}`;
  });
  const axis = `<line class="chart-axis" x1="${left}" y1="${base}" x2="${width - left}" y2="${base}" stroke="#333333" stroke-width="1"/>`;
  const plotHeight = base + 24;
  const hasSuppressed = rows.some((r) => r.count === null);
  const content = `${axis}${parts.join('')}${hasSuppressed ? legend(names.id, plotHeight) : ''}`;
  return svg(names, 'column', plotHeight + (hasSuppressed ? LEGEND_HEIGHT : 0), content, width);
}

/**
 * A line through the years, with the value above each point and gridlines at a round scale. A suppressed
 * year breaks the line and gets the hatched marker on the base line.
 */
export function lineChart(names: ChartNames, rows: readonly ChartRow[]): string {
  const left = 44;
  const right = 20;
  const top = 24;
  const plot = 180;
  const base = top + plot;
  const max = niceMax(maxOf(rows));
  const step = rows.length > 1 ? (WIDTH - left - right) / (rows.length - 1) : 0;
  const xOf = (i: number) => (rows.length > 1 ? left + i * step : (WIDTH + left - right) / 2);
  const yOf = (count: number) => base - (count / max) * plot;
  const grid = [0, max / 2, max]
    .map(
      (value) =>
        `<line class="chart-grid" x1="${left}" y1="${n(yOf(value))}" x2="${WIDTH - right}" y2="${n(yOf(value))}" stroke="${value === 0 ? '#333333' : '#bfbfbf'}" stroke-width="1"/><text x="${left - 6}" y="${n(yOf(value) + 4)}" text-anchor="end" font-size="${SMALL}">${formatCount(value)}</text>`,
    )
    .join('');
  const runs: string[][] = [[]];
  rows.forEach((r, i) => {
    if (r.count === null) runs.push([]);
    else runs[runs.length - 1]!.push(`${n(xOf(i))},${n(yOf(r.count))}`);
  });
  const lines = runs
    .filter((run) => run.length > 1)
    .map((run) => `<polyline class="chart-line" points="${run.join(' ')}" fill="none" stroke="${BAR_FILL}" stroke-width="3"/>`)
    .join('');
  const labelEvery = Math.ceil(rows.length / 12);
  const points = rows
    .map((r, i) => {
      const x = xOf(i);
      const label =
        i % labelEvery === 0 || i === rows.length - 1
          ? `<text x="${n(x)}" y="${base + 18}" text-anchor="middle" font-size="${FONT}">${escapeHtml(r.short ?? r.label)}</text>`
          : '';
      const valueShown = rows.length <= 15;
      if (r.count === null) {
        return `${suppressedMark(names.id, x - 7, base - 14, 14, 14)}${valueShown ? `<text class="chart-value" x="${n(x)}" y="${base - 20}" text-anchor="middle" font-size="${SMALL}">${escapeHtml(SUPPRESSED_LABEL)}</text>` : ''}${label}`;
      }
      const y = yOf(r.count);
      const value = valueShown
        ? `<text class="chart-value" x="${n(x)}" y="${n(y - 9)}" text-anchor="middle" font-size="${SMALL}">${formatCount(r.count)}</text>`
        : '';
      return `<circle class="chart-point" cx="${n(x)}" cy="${n(y)}" r="4.5" fill="${BAR_FILL}"/>${value}${label}`;
    })
    .join('');
  const plotHeight = base + 28;
  const hasSuppressed = rows.some((r) => r.count === null);
  return svg(names, 'line', plotHeight + (hasSuppressed ? LEGEND_HEIGHT : 0), `${grid}${lines}${points}${hasSuppressed ? legend(names.id, plotHeight) : ''}`);
}

/** The data of a chart as a table: a row per value, headed by its name; a suppressed count shows its label. */
export function dataTable(id: string, caption: string, heading: string, rows: readonly ChartRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${escapeHtml(r.label)}</th><td class="utrecht-table__cell utrecht-table__cell--numeric-data${r.count === null ? ' cijfers-suppressed' : ''}">${escapeHtml(formatCount(r.count))}</td></tr>`,
    )
    .join('');
  return `<div class="utrecht-table__container cijfers-table"><table class="utrecht-table utrecht-table--html-table" id="${id}">
<caption class="utrecht-table__caption">${escapeHtml(caption)}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row"><th scope="col" class="utrecht-table__header-cell">${escapeHtml(heading)}</th><th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column">Aantal signalen</th></tr></thead>
<tbody class="utrecht-table__body">${body}</tbody>
</table></div>`;
}

const MONTH_ABBREVIATIONS = ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];

/**
 * The months as a year by month grid: a row per year, a column per month, every value of the chart. (Sixty
 * months in one column would be a table nobody reads.) Rows are `YYYY-MM` keys.
 */
export function monthTable(id: string, caption: string, rows: readonly ChartRow[], monthNames: readonly string[]): string {
  const years = [...new Set(rows.map((r) => r.key.slice(0, 4)))];
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const head = MONTH_ABBREVIATIONS.map(
    (abbreviation, i) =>
      `<th scope="col" class="utrecht-table__header-cell utrecht-table__header-cell--numeric-column"><abbr title="${escapeHtml(monthNames[i] ?? abbreviation)}">${abbreviation}</abbr></th>`,
  ).join('');
  const body = years
    .map((year) => {
      const cells = MONTH_ABBREVIATIONS.map((_, i) => {
        const row = byKey.get(`${year}-${String(i + 1).padStart(2, '0')}`);
        if (!row) return '<td class="utrecht-table__cell utrecht-table__cell--numeric-data"></td>';
        return `<td class="utrecht-table__cell utrecht-table__cell--numeric-data${row.count === null ? ' cijfers-suppressed' : ''}">${escapeHtml(formatCount(row.count))}</td>`;
      }).join('');
      return `<tr class="utrecht-table__row"><th scope="row" class="utrecht-table__header-cell">${year}</th>${cells}</tr>`;
    })
    .join('');
  // Wider than a phone: the container scrolls sideways, and takes the focus so that a keyboard can scroll it.
  return `<div class="utrecht-table__container cijfers-table cijfers-table--months" tabindex="0" role="region" aria-labelledby="${id}-bijschrift"><table class="utrecht-table utrecht-table--html-table" id="${id}">
<caption class="utrecht-table__caption" id="${id}-bijschrift">${escapeHtml(caption)}</caption>
<thead class="utrecht-table__header"><tr class="utrecht-table__row"><th scope="col" class="utrecht-table__header-cell">Jaar</th>${head}</tr></thead>
<tbody class="utrecht-table__body">${body}</tbody>
</table></div>`;
}
