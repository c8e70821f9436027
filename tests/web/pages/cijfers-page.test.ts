import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geography } from '#domain/kernel/index.js';
import type { Figures } from '../../../web/pages/cijfers-format.js';
import { SUPPRESSED_LABEL } from '../../../web/pages/cijfers-format.js';
import { CIJFERS_TITLE, changeText, chartDescription, cijfersPage, figureSections, SECTIONS, statusText } from '../../../web/pages/cijfers-page.js';

const drenthe = geography.province('DR')!;
const months = (year: number) => Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`);

/** Drenthe-sized exact figures for 2024-2025: a few dozen signals, most cells small. */
function exactFigures(): Figures {
  return {
    region: 'noord-nederland',
    from: 2024,
    to: 2025,
    province: 'DR',
    generatedAt: '2025-06-03T12:34:56.000Z',
    updatedAt: '2025-06-03T12:30:00.000Z',
    total: 131,
    previousYear: 58,
    byYear: { 2024: 64, 2025: 67 },
    byForm: { seksueel: 30, arbeid: 70, crimineel: 25, orgaanverwijdering: 1, onbekend: 5 },
    byMunicipality: Object.fromEntries([...drenthe.municipalities.map((m, i) => [m.code, i]), ['onbekend', 3]]),
    byExploitationMunicipality: Object.fromEntries([...drenthe.municipalities.map((m, i) => [m.code, 12 - i]), ['onbekend', 40]]),
    bySourceType: { gemeente: 20, politie: 50, burger: 40, 'web-onbevestigd:zorg': 2, onbekend: 19 },
    byChannel: { api: 80, web: 42, email: 9 },
    byMonth: Object.fromEntries([...months(2024), ...months(2025)].map((m, i) => [m, i % 7])),
    byMinors: { ja: 12, nee: 100, onbekend: 19 },
    bySector: { horeca: 20, bouw: 11, prostitutie: 30, overig: 0, onbekend: 70 },
    byRoute: { zorg: 40, 'zorg-en-strafrecht': 12, riec: 9, advies: 3, 'geen-vervolg': 5, 'geen-besluit': 70 },
    warnings: [],
  };
}

/** The same as a public release would show it: small counts null, and a release. */
function publicFigures(): Figures {
  const hide = (table: Record<string, number | null>) =>
    Object.fromEntries(Object.entries(table).map(([k, v]) => [k, v !== null && v > 0 && v < 7 ? null : v]));
  const exact = exactFigures();
  return {
    ...exact,
    byForm: hide(exact.byForm),
    byMunicipality: hide(exact.byMunicipality),
    byExploitationMunicipality: hide(exact.byExploitationMunicipality),
    bySourceType: hide(exact.bySourceType),
    byMonth: hide(exact.byMonth),
    release: { releasedAt: '2025-06-02T22:00:00.000Z', nextPossibleAt: '2025-06-03T22:00:00.000Z' },
  };
}

const filter = { values: { van: '2024', tot: '2025', gebied: 'DR' }, errors: {} };
const page = (figures: Figures) => cijfersPage({ filter, thisYear: 2025, answer: figures, etag: '"abc"' });

describe('the monitor page', () => {
  it('is a Dutch page with its own style sheet and script, and nothing inline', () => {
    const html = page(exactFigures());
    expect(html).toContain('<html lang="nl"');
    expect(html).toContain(`<title>${CIJFERS_TITLE} | Meldroute Noord-Nederland</title>`);
    expect(html).toContain('<link rel="stylesheet" href="/assets/cijfers.css">');
    expect(html).toContain('<script type="module" src="/assets/cijfers.js"></script>');
    expect(html).not.toContain('/assets/form.js');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/\sstyle=|<style/);
  });

  it('has a GET filter form with the labelled fields Jaar (van, tot) and Gebied, the chosen values selected', () => {
    const html = page(exactFigures());
    expect(html).toMatch(/<form class="cijfers-filter" method="get" action="\/cijfers">/);
    expect(html).toMatch(/<legend[^>]*>Jaar<\/legend>/);
    expect(html).toContain('<label class="utrecht-form-label" for="cijfers-van">van</label>');
    expect(html).toMatch(/<label class="utrecht-form-label" for="cijfers-tot">tot/);
    expect(html).toContain('<label class="utrecht-form-label" for="cijfers-gebied">Gebied</label>');
    expect(html).toContain('<option value="2024" selected>2024</option>');
    expect(html).toContain('<option value="DR" selected>Drenthe</option>');
    expect(html).toContain('<optgroup label="Gemeenten in Drenthe">');
    expect(html).toContain('<option value="noord-nederland">Noord-Nederland (heel de regio)</option>');
  });

  it('has a checkbox "Zonder RIEC-zaken" in the filter, labelled and explained, checked when the URL says zonder=riec', () => {
    const html = page(exactFigures());
    expect(html).toMatch(
      /<input class="utrecht-checkbox utrecht-checkbox--html-input" type="checkbox" id="cijfers-zonder" name="zonder" value="riec" aria-describedby="cijfers-zonder-uitleg">/,
    );
    expect(html).toContain('<label class="utrecht-form-label utrecht-form-label--checkbox" for="cijfers-zonder">Zonder RIEC-zaken</label>');
    const checked = cijfersPage({ filter: { values: { ...filter.values, zonder: 'riec' }, errors: {} }, thisYear: 2025, answer: exactFigures() });
    expect(checked).toMatch(/id="cijfers-zonder" name="zonder" value="riec" checked/);
  });

  it('shows the figures per route, and says when the RIEC cases are left out: in the total, the captions and the CSV links', () => {
    const section = figureSections(exactFigures()).find((s) => s.id === 'per-route')!.html;
    expect(section).toMatch(/<th scope="row"[^>]*>RIEC<\/th><td[^>]*>9<\/td>/);
    expect(section).toMatch(/<th scope="row"[^>]*>Nog geen besluit<\/th><td[^>]*>70<\/td>/);
    const without = page({ ...exactFigures(), excludeRoute: ['riec'], byRoute: { ...exactFigures().byRoute, riec: 0 } });
    expect(without).toContain('signalen in 2024 tot en met 2025, Drenthe, zonder RIEC-zaken.');
    expect(without).toContain('<caption');
    expect(without).toMatch(/<caption[^>]*>Signalen per route, 2024 tot en met 2025, Drenthe, zonder RIEC-zaken<\/caption>/);
    expect(without).toContain(
      'href="/v1/statistics?region=noord-nederland&amp;from=2024&amp;to=2025&amp;province=DR&amp;excludeRoute=riec&amp;format=csv&amp;table=byRoute"',
    );
  });

  it('gives every id once', () => {
    const html = page(publicFigures());
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(30);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names every chart by its heading and describes it by a sentence on the page', () => {
    const html = page(exactFigures());
    const charts = [...html.matchAll(/<svg [^>]*role="img" aria-labelledby="([^"]+)" aria-describedby="([^"]+)"/g)];
    expect(charts).toHaveLength(SECTIONS.length);
    for (const [, labelledBy, describedBy] of charts) {
      expect(html).toMatch(new RegExp(`<h2 class="utrecht-heading-2" id="${labelledBy}">[^<]+</h2>`));
      expect(html).toMatch(new RegExp(`<p [^>]*id="${describedBy}">[^<]*Alle aantallen staan in de tabel.</p>`));
    }
  });

  it('shows the total and its change against the year before', () => {
    const html = page(exactFigures());
    expect(html).toContain('<span class="cijfers-total__number">131</span> signalen in 2024 tot en met 2025, Drenthe.');
    expect(html).toContain('In 2025: 67; 3 meer dan in 2024 (64), +5%.');
    const single = page({ ...exactFigures(), from: 2025, to: 2025, total: 67, byYear: { 2025: 67 } });
    expect(single).toContain('9 meer dan in 2024 (58), +16%.');
  });

  it('lists every municipality of Drenthe with its count, zeros included, and the unknown ones', () => {
    const html = page(exactFigures());
    const section = figureSections(exactFigures()).find((s) => s.id === 'per-gemeente')!.html;
    drenthe.municipalities.forEach((m, i) => {
      expect(section).toMatch(new RegExp(`<th scope="row"[^>]*>${m.name}</th><td[^>]*>${i}</td>`));
    });
    expect(section).toMatch(/<th scope="row"[^>]*>Onbekend<\/th><td[^>]*>3<\/td>/);
    expect(html).toContain('Per gemeente van uitbuiting');
  });

  it('puts every value of every table on the page', () => {
    const figures = exactFigures();
    const sections = figureSections(figures);
    for (const spec of SECTIONS) {
      const html = sections.find((s) => s.id === spec.id)!.html;
      const cells = [...html.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => Number(m[1]));
      expect(cells, spec.table).toEqual(Object.values(figures[spec.table]));
    }
  });

  it('links each table as CSV from the exact statistics route for a key holder', () => {
    const html = page(exactFigures());
    expect(html).toContain('href="/v1/statistics?region=noord-nederland&amp;from=2024&amp;to=2025&amp;province=DR&amp;format=csv&amp;table=byMunicipality"');
    expect(html.match(/ download>/g)).toHaveLength(SECTIONS.length);
  });

  it('says the exact figures are live: "Bijgewerkt om" the time in the Netherlands', () => {
    expect(statusText(exactFigures())).toMatch(/^Bijgewerkt om 14:34:56\./);
    expect(page(exactFigures())).toContain('id="cijfers-status" aria-live="polite"');
    expect(page(exactFigures())).toContain('Dit zijn de exacte aantallen');
  });
});

describe('the monitor page with the public release', () => {
  it('shows a suppressed count by its label, in the table and beside a hatched marker, never as a bar', () => {
    const html = figureSections(publicFigures()).find((s) => s.id === 'per-vorm')!.html;
    const label = SUPPRESSED_LABEL.replace('<', '&lt;');
    expect(html).toMatch(new RegExp(`<th scope="row"[^>]*>Orgaanhandel</th><td[^>]*cijfers-suppressed[^>]*>${label}</td>`));
    expect(html.match(/<rect class="chart-bar"/g)).toHaveLength(3); // arbeid, seksueel, crimineel; not orgaanhandel or onbekend (5)
    expect(html).toContain('class="chart-suppressed"');
    expect(html).toContain(`Kleine aantallen staan als „${label}”`);
  });

  it('says when it was released and when the next release may come', () => {
    expect(statusText(publicFigures())).toBe('Bijgewerkt op 3 juni 2025 om 00:00, volgende update op zijn vroegst 4 juni 2025 om 00:00.');
  });

  it('before the first release: says so, shows the notice where the figures go, and no figure', () => {
    const unreleased = {
      region: 'noord-nederland',
      from: 2025,
      to: 2025,
      province: 'DR',
      release: null,
      notice: 'Er zijn nog geen openbare cijfers voor deze regio.',
    };
    expect(statusText(unreleased)).toBe('Er zijn nog geen openbare cijfers.');
    const html = cijfersPage({ filter, thisYear: 2025, answer: unreleased, etag: '"e"' });
    expect(html).toContain('<div class="cijfers" id="cijfers" data-mode="public" data-etag="&quot;e&quot;">');
    expect(html).toContain('Er zijn nog geen openbare cijfers voor deze regio.');
    expect(html).not.toContain('<svg');
  });

  it('links each table as CSV from the public route', () => {
    expect(page(publicFigures())).toContain(
      'href="/v1/public/statistics?region=noord-nederland&amp;from=2024&amp;to=2025&amp;province=DR&amp;format=csv&amp;table=byForm"',
    );
  });
});

describe('changeText', () => {
  it('gives the difference and the percentage, or says why there is none', () => {
    expect(changeText(67, 62, 2024)).toBe('5 meer dan in 2024 (62), +8%.');
    expect(changeText(50, 62, 2024)).toBe('12 minder dan in 2024 (62), −19%.');
    expect(changeText(3, 0, 2024)).toBe('3 meer dan in 2024 (0).');
    expect(changeText(4, 4, 2024)).toBe('Evenveel als in 2024.');
    expect(changeText(null, 62, 2024)).toContain('niet te zeggen');
    expect(changeText(1234, 1000, 2024)).toBe('234 meer dan in 2024 (1.000), +23%.');
  });
});

describe('the error page', () => {
  it('shows the filter with its errors, tied to the fields, and no figures', () => {
    const html = cijfersPage({
      filter: { values: { van: '2025', tot: '2024', gebied: 'XX' }, errors: { tot: 'Kies een later jaar.', gebied: 'Kies een gebied uit de lijst.' } },
      thisYear: 2025,
      notice: { kind: 'error', title: 'Deze cijfers kunnen we niet tonen', text: 'Kies opnieuw.' },
    });
    expect(html).toContain(`<title>Fout: ${CIJFERS_TITLE}`);
    expect(html).toContain('role="alert"');
    expect(html).toContain('aria-describedby="cijfers-fout-tot"');
    expect(html).toContain('<p class="utrecht-form-field-error-message" id="cijfers-fout-gebied">Kies een gebied uit de lijst.</p>');
    expect(html).not.toContain('<svg');
  });
});

describe('the print style', () => {
  it('prints charts and tables on A4, without the form or the download links', () => {
    const css = readFileSync(resolve(import.meta.dirname, '../../../web/assets/cijfers.css'), 'utf8');
    const print = css.slice(css.indexOf('@media print'));
    expect(print).toMatch(/@page\s*{\s*size: A4;/);
    expect(print).toMatch(/\.cijfers-filter,[^{]*\.cijfers-download,[^{]*{\s*display: none;/);
  });
});

describe('chartDescription', () => {
  const row = (label: string, count: number | null) => ({ key: label, label, count });
  it('names the highest value, every one of a tie, and how many are suppressed', () => {
    expect(chartDescription({ chart: 'bar' }, [row('Assen', 3), row('Emmen', 3), row('Meppel', 1)])).toBe(
      'Staafdiagram met 3 waarden. Meeste signalen: Assen en Emmen (3). Alle aantallen staan in de tabel.',
    );
    expect(chartDescription({ chart: 'bar' }, [row('Assen', null), row('Emmen', 0)])).toBe(
      `Staafdiagram met 2 waarden. 1 waarde is „${SUPPRESSED_LABEL}”, gearceerd getekend. Alle aantallen staan in de tabel.`,
    );
    expect(chartDescription({ chart: 'bar' }, [row('Assen', 0)])).toBe('Staafdiagram met 1 waarde. Geen signalen. Alle aantallen staan in de tabel.');
    expect(chartDescription({ chart: 'line' }, [row('2024', 10), row('2025', 12)])).toContain('Lijndiagram van 2024 tot en met 2025: van 10 naar 12.');
  });
});
