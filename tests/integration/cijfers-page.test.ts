import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geography } from '#domain/kernel/index.js';
import { axeViolations } from './support/axe.js';
import { TestStack } from './support/local-stack.js';

/**
 * The monitor (GET /cijfers) in a real browser (Debian's Chromium driven by playwright-core) against the
 * local stack: with JavaScript and without, with a statistics key (as a proxy in front of a dashboard
 * would add it) and without, and checked by axe-core. The release schedule runs every second with no
 * least interval, so that a public release follows as soon as five signals have changed.
 */
const artifacts = resolve(import.meta.dirname, '../artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const YEAR = 2019;
const PAGE = `/cijfers?van=${YEAR}&tot=${YEAR}&gebied=DR`;

let stack: TestStack;
let browser: Browser;
let key: string;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  stack = await TestStack.start({ env: { LOCAL_RELEASE_SCHEDULE_SECONDS: '1', PUBLIC_RELEASE_INTERVAL: '0' } });
  key = stack.key('statistics:read');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(
  options: { javaScript?: boolean; withKey?: boolean; bypassCsp?: boolean; path?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    bypassCSP: options.bypassCsp ?? false,
    locale: 'nl-NL',
    viewport: { width: 1280, height: 900 },
    ...(options.withKey && { extraHTTPHeaders: { authorization: `Bearer ${key}` } }),
  });
  const page = await context.newPage();
  const response = await page.goto(`${stack.ready.apiUrl}${options.path ?? PAGE}`);
  expect(response?.status()).toBe(200);
  return { context, page };
}

let posted = 0;
async function postSignals(signals: Array<{ municipality: string; form: string }>) {
  for (const signal of signals) {
    posted++;
    const response = await stack.post({ observedAt: `${YEAR}-0${(posted % 9) + 1}-1${posted % 10}`, ...signal });
    expect(response.status).toBe(202);
  }
  await stack.waitForStatistics(`year=${YEAR}&province=DR`, (s) => s.total === posted);
}

/** A table as the page shows it: each row's header and its cell, read from the DOM. */
const tableOf = (page: Page, id: string) =>
  page.$$eval(`#${id} tbody tr`, (rows) => Object.fromEntries(rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent])));

/** axe runs as a script: the page a script-less browser got, opened again where scripts run (and none of the page's). */
async function withScripts(page: Page): Promise<Page> {
  const html = (await page.content()).replace(/<script[^>]*><\/script>/g, '');
  const { page: copy } = await open({ bypassCsp: true, path: '/' });
  await copy.setContent(html, { waitUntil: 'load' });
  return copy;
}

describe('the monitor without a key, before the first public release', () => {
  it('says that there are no public figures yet, without JavaScript, and shows none', async () => {
    const { context, page } = await open({ javaScript: false });
    expect(await page.textContent('h1')).toBe('Cijfers mensenhandel Noord-Nederland');
    expect(await page.textContent('#cijfers-status')).toBe('Er zijn nog geen openbare cijfers.');
    expect(await page.textContent('#nog-geen-cijfers')).toContain('Nog geen openbare cijfers');
    expect(await page.$$('svg')).toHaveLength(0);
    expect(await axeViolations(await withScripts(page))).toEqual([]);
    await context.close();
  });

  it('with JavaScript: shows the figures of the first release in place of the notice, without a reload', async () => {
    const { context, page } = await open();
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    // Five signals make the first release due; the schedule makes it within a second.
    await postSignals([
      { municipality: 'GM0106', form: 'arbeid' },
      { municipality: 'GM0106', form: 'arbeid' },
      { municipality: 'GM0106', form: 'seksueel' },
      { municipality: 'GM0114', form: 'arbeid' },
      { municipality: 'GM0114', form: 'crimineel' },
    ]);
    await page.waitForSelector('#totaal', { timeout: 30_000 });
    expect(await page.$('#nog-geen-cijfers')).toBeNull();
    expect(await page.textContent('#cijfers-status')).toMatch(/^Bijgewerkt op /);
    expect(await page.$$('#cijfers svg[role="img"]')).toHaveLength(10);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await context.close();
  });
});

describe('the monitor with a statistics key', () => {
  it('without JavaScript: the Drenthe table shows the counts of the year, every municipality, zeros included', async () => {
    await postSignals([{ municipality: 'GM0109', form: 'seksueel' }]);
    const { context, page } = await open({ javaScript: false, withKey: true });
    expect(await page.textContent('.cijfers-total__number')).toBe('6');
    const expected = Object.fromEntries([
      ...geography.province('DR')!.municipalities.map((m) => [m.name, { GM0106: '3', GM0114: '2', GM0109: '1' }[m.code] ?? '0']),
      ['Onbekend', '0'],
    ]);
    expect(await tableOf(page, 'per-gemeente-tabel')).toEqual(expected);
    expect(await tableOf(page, 'per-vorm-tabel')).toMatchObject({ Arbeidsuitbuiting: '3', 'Seksuele uitbuiting': '2', 'Criminele uitbuiting': '1' });
    expect(await page.textContent('#cijfers-status')).toMatch(/^Bijgewerkt om \d\d:\d\d:\d\d\./);
    // The key is the proxy's: it is nowhere in the page.
    expect(await page.content()).not.toContain(key);
    expect(await axeViolations(await withScripts(page))).toEqual([]);
    await context.close();
  });

  it('without JavaScript: the checkbox "Zonder RIEC-zaken" leaves the RIEC cases out, by the URL it sends', async () => {
    const { context, page } = await open({ javaScript: false, withKey: true });
    await page.getByLabel('Zonder RIEC-zaken').check();
    await Promise.all([page.waitForURL(/zonder=riec/), page.getByRole('button', { name: 'Toon cijfers' }).click()]);
    expect(await page.isChecked('#cijfers-zonder')).toBe(true);
    // No decision yet: nothing to leave out, and every signal is "nog geen besluit".
    expect(await page.textContent('.cijfers-total__figure')).toContain('6 signalen in 2019, Drenthe, zonder RIEC-zaken.');
    expect(await tableOf(page, 'per-route-tabel')).toMatchObject({ RIEC: '0', 'Nog geen besluit': '6' });
    expect(await page.getAttribute('a[href*="table=byRoute"]', 'href')).toContain('excludeRoute=riec');
    await context.close();
  });

  it('with JavaScript: the page updates without a reload when a new signal is counted, and says so', async () => {
    const { context, page } = await open({ withKey: true });
    expect(await page.textContent('.cijfers-total__number')).toBe('6');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    await postSignals([{ municipality: 'GM0114', form: 'arbeid' }]);
    await expect.poll(() => page.textContent('.cijfers-total__number'), { timeout: 25_000, interval: 500 }).toBe('7');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect((await tableOf(page, 'per-gemeente-tabel')).Emmen).toBe('3');
    expect(await page.getAttribute('#cijfers-status', 'aria-live')).toBe('polite');
    expect(await page.textContent('#cijfers-status')).toMatch(/^Bijgewerkt om \d\d:\d\d:\d\d\./);
    await page.screenshot({ path: join(artifacts, 'cijfers.png'), fullPage: true });
    await context.close();
  });

  it('answers the page as JSON with an ETag, and 304 while nothing changes', async () => {
    const headers = { authorization: `Bearer ${key}`, accept: 'application/json' };
    const first = await fetch(`${stack.ready.apiUrl}${PAGE}`, { headers });
    expect(first.status).toBe(200);
    expect(((await first.json()) as { total: number }).total).toBe(7);
    expect(first.headers.get('cache-control')).toBe('private, no-store');
    const again = await fetch(`${stack.ready.apiUrl}${PAGE}`, { headers: { ...headers, 'if-none-match': first.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('fits a phone screen (360 px wide): only the wide month table scrolls sideways, in its own box', async () => {
    const { context, page } = await open({ withKey: true, javaScript: false });
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    const box = await page.$eval('.cijfers-table--months', (e) => ({ overflow: getComputedStyle(e).overflowX, tabIndex: e.tabIndex }));
    expect(box).toEqual({ overflow: 'auto', tabIndex: 0 });
    await context.close();
  });

  it('has no accessibility violations with JavaScript (axe-core, WCAG 2.1 AA)', async () => {
    const { context, page } = await open({ withKey: true, bypassCsp: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the monitor without a key: the public release', () => {
  /** The public answer, as the page's own script gets it. */
  const publicAnswer = async () =>
    (await (await fetch(`${stack.ready.apiUrl}${PAGE}`, { headers: { accept: 'application/json' } })).json()) as Record<string, any>;

  it('changes only with a release, and then without a reload', async () => {
    expect((await publicAnswer()).release).not.toBeNull();
    const { context, page } = await open();
    expect(await page.textContent('#cijfers-status')).toMatch(/^Bijgewerkt op \d+ \w+ \d{4} om \d\d:\d\d, volgende update op zijn vroegst/);
    expect(await page.textContent('#cijfers-status')).not.toContain('Bijgewerkt om');
    // Small counts are never shown: every municipality reads 0 or the label.
    const label = (await tableOf(page, 'per-gemeente-tabel')).Assen;
    expect(label).toMatch(/^<\d+$/);
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));
    const before = await page.innerHTML('#cijfers');
    await page.screenshot({ path: join(artifacts, 'cijfers-openbaar.png'), fullPage: true });

    // One signal more is counted at once in the exact figures, but is no release: the page stays as it was.
    await postSignals([{ municipality: 'GM0106', form: 'arbeid' }]);
    await new Promise((r) => setTimeout(r, 12_000));
    expect(await page.innerHTML('#cijfers')).toBe(before);

    // Four more make five changes since the release: the next release comes, and the page follows it.
    await postSignals(Array.from({ length: 4 }, () => ({ municipality: 'GM0106', form: 'arbeid' })));
    await expect.poll(() => page.innerHTML('#cijfers'), { timeout: 30_000, interval: 1_000 }).not.toBe(before);
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect((await tableOf(page, 'per-gemeente-tabel')).Assen).toMatch(/^(\d+|<\d+)$/);
    await context.close();
  }, 90_000);

  it('has no accessibility violations, with JavaScript and without', async () => {
    const { context, page } = await open({ bypassCsp: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
    const plain = await open({ javaScript: false });
    expect(await axeViolations(await withScripts(plain.page))).toEqual([]);
    await plain.context.close();
  });
});
