import { barChart, type ChartNames, type ChartRow, columnChart, dataTable, lineChart, monthTable } from './cijfers-charts.js';
import { type FilterState, filterForm } from './cijfers-filter.js';
import {
  areaName,
  type Count,
  exclusionName,
  type Figures,
  type FiguresMode,
  formatCount,
  formatDateTime,
  formatNumber,
  formatTime,
  isUnreleased,
  MONTH_NAMES,
  type MonitorAnswer,
  type MonitorTable,
  modeOf,
  periodName,
  SUPPRESSED_LABEL,
  valueLabel,
  yearAt,
} from './cijfers-format.js';
import { cijfersLayout } from './cijfers-layout.js';
import { escapeHtml } from './html.js';

export const CIJFERS_TITLE = 'Cijfers mensenhandel Noord-Nederland';

/** Where a table's CSV comes from: the exact route for a key holder, the public release for anyone. */
export const CSV_ROUTES: Record<FiguresMode, string> = { exact: '/v1/statistics', public: '/v1/public/statistics' };

/** The ids the browser script finds: the figures (replaced section by section) and the status line (aria-live). */
export const FIGURES_ID = 'cijfers';
export const STATUS_ID = 'cijfers-status';

interface SectionSpec {
  table: MonitorTable;
  id: string;
  title: string;
  /** The table's first column. */
  heading: string;
  chart: 'bar' | 'column' | 'line';
  /** What is counted, in one sentence. */
  counted: string;
}

/** The charts of the monitor, in the order of the page. */
export const SECTIONS: readonly SectionSpec[] = [
  { table: 'byYear', id: 'per-jaar', title: 'Per jaar', heading: 'Jaar', chart: 'line', counted: 'Signalen per jaar waarin het werd gezien of gehoord.' },
  {
    table: 'byForm',
    id: 'per-vorm',
    title: 'Per vorm van uitbuiting',
    heading: 'Vorm van uitbuiting',
    chart: 'bar',
    counted: 'Signalen naar de vorm van uitbuiting die de melder als belangrijkste noemde; elk signaal telt één keer.',
  },
  {
    table: 'byMunicipality',
    id: 'per-gemeente',
    title: 'Per gemeente van herkomst',
    heading: 'Gemeente',
    chart: 'bar',
    counted:
      'Signalen per gemeente waar het signaal vandaan komt: elke gemeente van het gebied, ook zonder signalen, en „Onbekend” als de gemeente niet bekend is.',
  },
  {
    table: 'byExploitationMunicipality',
    id: 'per-gemeente-uitbuiting',
    title: 'Per gemeente van uitbuiting',
    heading: 'Gemeente',
    chart: 'bar',
    counted: 'Signalen per gemeente waar de uitbuiting plaatsvond, voor zover de melder dat weet.',
  },
  {
    table: 'bySourceType',
    id: 'per-melder',
    title: 'Per soort melder',
    heading: 'Soort melder',
    chart: 'bar',
    counted: 'Signalen per soort organisatie of persoon die ze meldde.',
  },
  { table: 'byChannel', id: 'per-kanaal', title: 'Per kanaal', heading: 'Kanaal', chart: 'bar', counted: 'Signalen per weg waarlangs ze binnenkwamen.' },
  {
    table: 'byMonth',
    id: 'per-maand',
    title: 'Per maand',
    heading: 'Maand',
    chart: 'column',
    counted: 'Signalen per maand waarin het werd gezien of gehoord.',
  },
  {
    table: 'byMinors',
    id: 'minderjarigen',
    title: 'Minderjarigen betrokken',
    heading: 'Minderjarigen betrokken',
    chart: 'bar',
    counted: 'Signalen waarbij kinderen of jongeren onder de 18 betrokken lijken: ja, nee, of onbekend.',
  },
  {
    table: 'bySector',
    id: 'per-sector',
    title: 'Per sector',
    heading: 'Sector',
    chart: 'bar',
    counted: 'Signalen per sector waarin de uitbuiting plaatsvond.',
  },
  {
    table: 'byRoute',
    id: 'per-route',
    title: 'Per route',
    heading: 'Route',
    chart: 'bar',
    counted:
      'Signalen per route die de weeg- en monitortafel in haar laatste besluit koos: zorg, zorg en strafrecht, RIEC, advies of geen vervolg, en „Nog geen besluit” zolang er geen is. Er kunnen meer routes tegelijk lopen, dus de routes tellen niet op tot het totaal.',
  },
];

/** How small numbers are protected, said under every chart. */
export function protectionSentence(mode: FiguresMode): string {
  return mode === 'public'
    ? `Kleine aantallen staan als „${SUPPRESSED_LABEL}” (een klein aantal, of soms geen) en zijn niet op schaal getekend; de andere zijn licht verstoord, zodat niemand herkenbaar wordt. Daardoor tellen de delen niet precies op tot het totaal.`
    : `Dit zijn de exacte aantallen, alleen voor wie een sleutel heeft. Deel ze niet zo: in de openbare cijfers staan kleine aantallen als „${SUPPRESSED_LABEL}”.`;
}

const rowsOf = (figures: Figures, table: MonitorTable): ChartRow[] =>
  Object.entries(figures[table]).map(([key, count]) => ({
    key,
    label: valueLabel(table, key),
    count,
    ...(table === 'byMonth' && { short: MONTH_NAMES[Number(key.slice(5, 7)) - 1]?.slice(0, 3) ?? key }),
  }));

/** The statistics route's query for these figures, as a URL query string (for the CSV links). */
export function statisticsQueryOf(figures: Figures, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ region: figures.region });
  if (figures.from === figures.to) query.set('year', String(figures.from));
  else {
    query.set('from', String(figures.from));
    query.set('to', String(figures.to));
  }
  if (figures.province) query.set('province', figures.province);
  if (figures.municipality) query.set('municipality', figures.municipality);
  if (figures.excludeRoute && figures.excludeRoute.length > 0) query.set('excludeRoute', figures.excludeRoute.join(','));
  for (const [name, value] of Object.entries(extra)) query.set(name, value);
  return query.toString();
}

export const csvHref = (figures: Figures, table: MonitorTable): string =>
  `${CSV_ROUTES[modeOf(figures)]}?${statisticsQueryOf(figures, { format: 'csv', table })}`;

/** One sentence that says what the chart shows, for those who do not see it; the table has every value. */
export function chartDescription(spec: Pick<SectionSpec, 'chart'>, rows: readonly ChartRow[]): string {
  const shown = rows.filter((r): r is ChartRow & { count: number } => r.count !== null);
  const suppressed = rows.length - shown.length;
  const highest = Math.max(0, ...shown.map((r) => r.count));
  const most = shown.filter((r) => highest > 0 && r.count === highest);
  const mostNames = most.length > 3 ? `${most.length} waarden` : most.map((r) => r.label).join(' en ');
  const parts: string[] = [];
  if (spec.chart === 'line' && rows.length > 0) {
    const first = rows[0]!;
    const last = rows[rows.length - 1]!;
    parts.push(
      rows.length === 1
        ? `Lijndiagram met één jaar: ${first.label}, ${formatCount(first.count)}.`
        : `Lijndiagram van ${first.label} tot en met ${last.label}: van ${formatCount(first.count)} naar ${formatCount(last.count)}.`,
    );
  } else {
    parts.push(`${spec.chart === 'column' ? 'Staafdiagram per maand' : 'Staafdiagram'} met ${rows.length} ${rows.length === 1 ? 'waarde' : 'waarden'}.`);
  }
  parts.push(most.length > 0 ? `Meeste signalen: ${mostNames} (${formatNumber(highest)}).` : suppressed ? '' : 'Geen signalen.');
  if (suppressed) parts.push(`${suppressed === 1 ? '1 waarde is' : `${suppressed} waarden zijn`} „${SUPPRESSED_LABEL}”, gearceerd getekend.`);
  parts.push('Alle aantallen staan in de tabel.');
  return parts.filter(Boolean).join(' ');
}

function chartSection(figures: Figures, spec: SectionSpec): string {
  const rows = rowsOf(figures, spec.table);
  const names: ChartNames = { labelledBy: `${spec.id}-titel`, describedBy: `${spec.id}-beschrijving`, id: spec.id };
  const chart = spec.chart === 'line' ? lineChart(names, rows) : spec.chart === 'column' ? columnChart(names, rows) : barChart(names, rows);
  const caption = [`Signalen ${spec.title.toLowerCase()}`, periodName(figures), areaName(figures), exclusionName(figures)].filter(Boolean).join(', ');
  return `<section class="cijfers-section" id="${spec.id}" aria-labelledby="${spec.id}-titel">
<h2 class="utrecht-heading-2" id="${spec.id}-titel">${escapeHtml(spec.title)}</h2>
<p class="utrecht-paragraph cijfers-counted">${escapeHtml(spec.counted)} ${escapeHtml(protectionSentence(modeOf(figures)))}</p>
<div class="cijfers-figure${spec.chart === 'column' ? ' cijfers-figure--stacked' : ''}">
<div class="cijfers-chart">${chart}
<p class="utrecht-paragraph cijfers-description" id="${spec.id}-beschrijving">${escapeHtml(chartDescription(spec, rows))}</p></div>
${spec.chart === 'column' ? monthTable(`${spec.id}-tabel`, caption, rows, MONTH_NAMES) : dataTable(`${spec.id}-tabel`, caption, spec.heading, rows)}
</div>
<p class="utrecht-paragraph cijfers-download"><a class="utrecht-link" href="${escapeHtml(csvHref(figures, spec.table))}" download>Tabel ‘${escapeHtml(spec.title)}’ als CSV (voor Excel)</a></p>
</section>`;
}

/** The change of a count against the year before, in words: "5 meer dan in 2024 (62), +8%". */
export function changeText(current: Count, before: Count, beforeYear: number): string {
  if (current === null || before === null) {
    return `In ${beforeYear}: ${formatCount(before)}. Hoeveel het veranderde, is bij kleine aantallen niet te zeggen.`;
  }
  const difference = current - before;
  if (difference === 0) return `Evenveel als in ${beforeYear}.`;
  const percentage = before > 0 ? `, ${difference > 0 ? '+' : '−'}${formatNumber(Math.round((Math.abs(difference) / before) * 100))}%` : '';
  return `${formatNumber(Math.abs(difference))} ${difference > 0 ? 'meer' : 'minder'} dan in ${beforeYear} (${formatNumber(before)})${percentage}.`;
}

function totalSection(figures: Figures): string {
  const last = figures.to;
  const single = figures.from === figures.to;
  const current = single ? figures.total : (figures.byYear[String(last)] ?? null);
  const before = single ? figures.previousYear : (figures.byYear[String(last - 1)] ?? null);
  const running = yearAt(figures.generatedAt) === last ? ` ${last} is nog niet voorbij.` : '';
  const change = single
    ? `${changeText(current, before, last - 1)}${running}`
    : `In ${last}: ${formatCount(current)}; ${changeText(current, before, last - 1).replace(/^./, (c) => c.toLowerCase())}${running}`;
  const warnings = (figures.warnings ?? [])
    .map((w) => `<div class="utrecht-alert utrecht-alert--warning" role="note"><p class="utrecht-paragraph">${escapeHtml(w.message)}</p></div>`)
    .join('');
  return `<section class="cijfers-section cijfers-total" id="totaal" aria-labelledby="totaal-titel">
<h2 class="utrecht-heading-2" id="totaal-titel">Aantal signalen</h2>
<p class="utrecht-paragraph cijfers-total__figure"><span class="cijfers-total__number">${escapeHtml(formatCount(figures.total))}</span> ${figures.total === 1 ? 'signaal' : 'signalen'} in ${escapeHtml([periodName(figures), areaName(figures), exclusionName(figures)].filter(Boolean).join(', '))}.</p>
<p class="utrecht-paragraph">${escapeHtml(change)}</p>
${warnings}
</section>`;
}

export interface Notice {
  title: string;
  text: string;
  kind: 'error' | 'info';
}

function noticeBlock(notice: Notice, id: string): string {
  return `<div class="utrecht-alert utrecht-alert--${notice.kind}"${notice.kind === 'error' ? ' role="alert"' : ''} id="${id}">
<h2 class="utrecht-heading-2">${escapeHtml(notice.title)}</h2>
<p class="utrecht-paragraph">${escapeHtml(notice.text)}</p>
</div>`;
}

/** The monitor's sections, each by its id: the server renders them all, the browser replaces those that changed. */
export function figureSections(figures: Figures): { id: string; html: string }[] {
  return [{ id: 'totaal', html: totalSection(figures) }, ...SECTIONS.map((spec) => ({ id: spec.id, html: chartSection(figures, spec) }))];
}

/** What stands in the figures' place: the sections, or before the first public release its notice. */
export function answerSections(answer: MonitorAnswer): { id: string; html: string }[] {
  if (isUnreleased(answer))
    return [{ id: 'nog-geen-cijfers', html: noticeBlock({ kind: 'info', title: 'Nog geen openbare cijfers', text: answer.notice }, 'nog-geen-cijfers') }];
  return figureSections(answer);
}

/**
 * The status line: "Bijgewerkt om HH:MM:SS" for live exact figures; for the public release when it was made
 * and when the next may come.
 */
export function statusText(answer: MonitorAnswer): string {
  if (isUnreleased(answer)) return 'Er zijn nog geen openbare cijfers.';
  if (!answer.release) return `Bijgewerkt om ${formatTime(answer.generatedAt)}. Exacte cijfers, die meteen meebewegen met elk nieuw signaal.`;
  return `Bijgewerkt op ${formatDateTime(answer.release.releasedAt)}, volgende update op zijn vroegst ${formatDateTime(answer.release.nextPossibleAt)}.`;
}

export interface CijfersView {
  filter: FilterState;
  /** This year in the Netherlands: the last year the filter offers. */
  thisYear: number;
  /** The figures (or that there are no public ones yet); absent when the filter is wrong or the request refused. */
  answer?: MonitorAnswer;
  /** The ETag of the answer as JSON, for the browser's first If-None-Match. */
  etag?: string;
  /** Said instead of the figures. */
  notice?: Notice;
}

/** The page's content: explanation, filter, status line and the figures (or a notice instead). */
export function cijfersMain(view: CijfersView): string {
  const { answer } = view;
  const mode = answer && modeOf(answer);
  const intro =
    mode === 'exact'
      ? 'U ziet de exacte cijfers, omdat uw verzoek een sleutel voor de cijfers had. Ze bewegen mee met elk signaal dat wordt geteld.'
      : 'Deze openbare cijfers worden niet bij elk signaal bijgewerkt, maar op vaste momenten en alleen als er sindsdien genoeg signalen bij zijn gekomen: zo is niet na te gaan waar één signaal is geteld.';
  const next = answer?.release?.nextPossibleAt;
  const body = answer
    ? `<div class="cijfers" id="${FIGURES_ID}" data-mode="${mode}"${view.etag ? ` data-etag="${escapeHtml(view.etag)}"` : ''}${next ? ` data-next="${escapeHtml(next)}"` : ''}>
${answerSections(answer)
  .map((s) => s.html)
  .join('\n')}
</div>`
    : '';
  return `<h1 class="utrecht-heading-1">${CIJFERS_TITLE}</h1>
<p class="utrecht-paragraph utrecht-paragraph--lead">Hoeveel signalen van mensenhandel de zorgcoördinatoren in Groningen, Fryslân en Drenthe kregen: per jaar, vorm, gemeente, melder, kanaal, maand, sector en route. Een signaal is een vermoeden van uitbuiting, geen bewezen geval.</p>
<p class="utrecht-paragraph cijfers-intro">${escapeHtml(intro)}</p>
${filterForm(view.filter, view.thisYear)}
<p class="utrecht-paragraph cijfers-status" id="${STATUS_ID}" aria-live="polite" aria-atomic="true">${answer ? escapeHtml(statusText(answer)) : ''}</p>
${view.notice ? noticeBlock(view.notice, 'cijfers-melding') : ''}
${body}`;
}

export function cijfersPage(view: CijfersView): string {
  return cijfersLayout(view.notice?.kind === 'error' ? `Fout: ${CIJFERS_TITLE}` : CIJFERS_TITLE, cijfersMain(view));
}
