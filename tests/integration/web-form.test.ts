import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations } from './support/axe.js';
import { TestStack } from './support/local-stack.js';

/**
 * The meldformulier in a real browser (Debian's Chromium driven by playwright-core) against the local
 * stack, as a resident or a professional would use it: with JavaScript, without, and by keyboard alone.
 * Each test reports from an address of its own (as CloudFront would pass it), and in a year of its own.
 */
const artifacts = resolve(import.meta.dirname, '../artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let stack: TestStack;
let browser: Browser;
let nextAddress = 10;

beforeAll(async () => {
  mkdirSync(artifacts, { recursive: true });
  stack = await TestStack.start();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function open(options: { javaScript?: boolean; bypassCsp?: boolean; address?: string } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    bypassCSP: options.bypassCsp ?? false,
    locale: 'nl-NL',
    extraHTTPHeaders: { 'cloudfront-viewer-address': `${options.address ?? `198.51.100.${nextAddress++}`}:50000` },
  });
  const page = await context.newPage();
  await page.goto(`${stack.ready.apiUrl}/`);
  return { context, page };
}

async function fillResident(page: Page, year: number) {
  await page.check('#field-reporterType-burger');
  await page.fill('#field-description', 'Naast ons wonen twaalf arbeiders in één garage. Ze worden elke ochtend om vijf uur opgehaald.');
  await page.selectOption('#field-municipality', 'GM0114');
  await page.fill('#field-observedAt', `${year}-03-01`);
  await page.check('#field-form-arbeid');
  await page.check('#field-minorsSuspected-nee');
}

const counted = (year: number, total: number) => stack.waitForStatistics(`year=${year}`, (s) => s.total === total);

/** axe runs as a script: the page a script-less browser got, opened again where scripts run. */
async function withScripts(page: Page): Promise<Page> {
  const html = await page.content();
  const { page: copy } = await open({ bypassCsp: true });
  await copy.setContent(html, { waitUntil: 'load' });
  return copy;
}

describe('the meldformulier in a browser', () => {
  it('with JavaScript: a resident files a report, sees a reference number, and the figures move', async () => {
    const { context, page } = await open();
    await page.screenshot({ path: join(artifacts, 'meldformulier.png'), fullPage: true });
    await fillResident(page, 2015);
    await page.click('button[type="submit"]');
    await expect.poll(() => page.textContent('#referentie')).toMatch(/^MR-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(page.url()).toBe(`${stack.ready.apiUrl}/`);
    expect(await page.title()).toContain('Bedankt voor uw melding');
    await page.screenshot({ path: join(artifacts, 'ontvangstbevestiging.png'), fullPage: true });
    expect(await counted(2015, 1)).toMatchObject({ byChannel: { web: 1 }, bySourceType: { burger: 1 }, byMunicipality: { GM0114: 1 }, byForm: { arbeid: 1 } });
    await context.close();
  });

  it('without JavaScript: the plain form post is answered by a server-rendered receipt', async () => {
    const { context, page } = await open({ javaScript: false });
    await fillResident(page, 2016);
    await page.check('#field-reporterType-professional');
    await page.selectOption('#field-organisationType', 'zorg');
    await Promise.all([page.waitForURL('**/v1/web/signals'), page.click('button[type="submit"]')]);
    expect(await page.textContent('#referentie')).toMatch(/^MR-[0-9A-F]{4}-[0-9A-F]{4}$/);
    expect(await counted(2016, 1)).toMatchObject({ byChannel: { web: 1 }, bySourceType: { 'web-onbevestigd:zorg': 1 } });
    await context.close();
  });

  it('without JavaScript: errors come back on the form, with what was filled in kept', async () => {
    const { context, page } = await open({ javaScript: false });
    await page.fill('#field-description', 'kort');
    await Promise.all([page.waitForURL('**/v1/web/signals'), page.click('button[type="submit"]')]);
    expect(await page.textContent('#foutmeldingen')).toContain('Controleer');
    expect(await page.inputValue('#field-description')).toBe('kort');
    expect(await page.getAttribute('#field-description', 'aria-invalid')).toBe('true');
    await context.close();
  });

  it('by keyboard alone: every field is reached with Tab and chosen with the keys, and the report is sent', async () => {
    const { context, page } = await open();
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement === document.querySelector(s), selector)) return;
      }
      throw new Error(`never reached ${selector} with Tab`);
    };
    await tabTo('#field-reporterType-burger');
    await page.keyboard.press('Space');
    await tabTo('#field-description');
    await page.keyboard.type('Ik zie al weken jonge vrouwen die niet alleen naar buiten mogen.');
    await tabTo('#field-municipality');
    await page.keyboard.type('Assen');
    await tabTo('#field-observedAt');
    await page.keyboard.type('01032017');
    await tabTo('#field-form-arbeid');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await tabTo('#field-minorsSuspected-ja');
    await page.keyboard.press('Space');
    await tabTo('button[type="submit"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.textContent('#referentie')).toMatch(/^MR-/);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await counted(2017, 1)).toMatchObject({ byMunicipality: { GM0106: 1 }, byForm: { seksueel: 1 } });
    await context.close();
  });

  it('fits a phone screen (360 px wide) without scrolling sideways', async () => {
    const { context, page } = await open();
    await page.setViewportSize({ width: 360, height: 740 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: join(artifacts, 'meldformulier-telefoon.png') });
    await context.close();
  });

  it('with JavaScript: errors are shown inline and in a summary that takes the focus', async () => {
    const { context, page } = await open();
    await page.fill('#field-contactPhone', '12');
    await page.press('#field-contactPhone', 'Tab');
    expect(await page.textContent('#error-contactPhone')).toBe('Geen geldig telefoonnummer.');
    await page.click('button[type="submit"]');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('foutmeldingen');
    expect(await page.locator('#foutmeldingen li').count()).toBe(7);
    await context.close();
  });
});

describe('the meldformulier is accessible (axe-core, WCAG 2.2 AA)', () => {
  it('has no violations when empty', async () => {
    const { context, page } = await open({ bypassCsp: true });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('has no violations with errors shown, with JavaScript and without', async () => {
    for (const javaScript of [true, false]) {
      const { context, page } = await open({ bypassCsp: true, javaScript });
      await page.check('#field-reporterType-professional');
      await page.fill('#field-contactEmail', 'geen-adres');
      await Promise.all([javaScript ? Promise.resolve() : page.waitForURL('**/v1/web/signals'), page.click('button[type="submit"]')]);
      await page.waitForSelector('#foutmeldingen');
      expect(await axeViolations(javaScript ? page : await withScripts(page)), javaScript ? 'with JavaScript' : 'without').toEqual([]);
      await context.close();
    }
  });

  it('has no violations on the receipt', async () => {
    const { context, page } = await open({ bypassCsp: true });
    await fillResident(page, 2018);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#referentie');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});

describe('the meldformulier and privacy', () => {
  it('keeps none of what a reporter typed readable in any table, queue or log', async () => {
    const typed = ['Bartholomeus Visser-Dijkstra', '06 11223344', '0611223344', 'b.visser@voorbeeld.nl', 'achter de molen aan de Hoofdvaart', '198.51.100.240'];
    const { context, page } = await open({ address: '198.51.100.240' });
    await fillResident(page, 2021);
    await page.fill('#field-description', 'Ze slapen in containers achter de molen aan de Hoofdvaart.');
    await page.fill('#field-contactName', typed[0]!);
    await page.fill('#field-contactPhone', typed[1]!);
    await page.fill('#field-contactEmail', typed[3]!);
    await page.click('button[type="submit"]');
    await page.waitForSelector('#referentie');
    await counted(2021, 1);
    await stack.settle();
    const leaks = (text: string) => typed.filter((t) => text.toLowerCase().includes(t.toLowerCase()));
    for (const table of await stack.tableNames()) expect(leaks(JSON.stringify(await stack.scan(table))), table).toEqual([]);
    for (const queue of Object.values(stack.ready.queues).filter((q) => q.startsWith('http')))
      expect(leaks(JSON.stringify(await stack.peek(queue))), queue).toEqual([]);
    expect(leaks(stack.logs)).toEqual([]);
    const [signal] = (await stack.scan('meldroute-signals')).filter((s) => s.observedAt.startsWith('2021-'));
    expect(signal).toMatchObject({
      channel: 'web',
      reporter: { pseudonyms: { name: expect.any(String), phone: expect.any(String), email: expect.any(String) } },
      description: { alg: 'AES-256-GCM' },
    });
    await context.close();
  });
});

describe('the meldformulier against abuse', () => {
  it('answers the sixth report from one address within a minute with 429 and a Dutch explanation', async () => {
    const address = '203.0.113.77';
    for (let i = 0; i < 5; i++) {
      const { context, page } = await open({ address });
      await fillResident(page, 2019);
      await page.click('button[type="submit"]');
      await page.waitForSelector('#referentie');
      await context.close();
    }
    const { context, page } = await open({ address, javaScript: false });
    await fillResident(page, 2019);
    const [response] = await Promise.all([page.waitForResponse('**/v1/web/signals'), page.click('button[type="submit"]')]);
    expect(response.status()).toBe(429);
    expect(Number(response.headers()['retry-after'])).toBeGreaterThan(0);
    expect(await page.textContent('h1')).toBe('Te veel meldingen');
    expect(await page.textContent('[role="alert"]')).toMatch(/om misbruik te voorkomen/i);
    expect((await stack.statistics('year=2019')).total).toBe(5);
    await context.close();
  });

  it('takes nothing in when the hidden honeypot field is filled, and shows the robot a receipt all the same', async () => {
    const { context, page } = await open({ javaScript: false });
    await fillResident(page, 2020);
    await page.evaluate(() => ((document.getElementById('field-website') as HTMLInputElement).value = 'https://spam.example'));
    await Promise.all([page.waitForURL('**/v1/web/signals'), page.click('button[type="submit"]')]);
    expect(await page.textContent('#referentie')).toMatch(/^MR-/);
    await stack.settle();
    expect((await stack.statistics('year=2020')).total).toBe(0);
    await context.close();
  });

  it('names a field the form does not have in a 422 problem, as the API does', async () => {
    const response = await fetch(`${stack.ready.apiUrl}/v1/web/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cloudfront-viewer-address': '198.51.100.251:1' },
      body: JSON.stringify({ reporterType: 'burger', bsn: '111222333' }),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: Array<{ pointer: string; detail: string }> };
    expect(body.errors).toContainEqual({ pointer: '/bsn', detail: expect.stringContaining('Onbekend veld') });
    expect(body.errors.map((e) => e.pointer)).toContain('/description');
  });

  it('refuses a body over 16 KB with 413', async () => {
    const response = await fetch(`${stack.ready.apiUrl}/v1/web/signals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cloudfront-viewer-address': '198.51.100.250:1' },
      body: JSON.stringify({ description: 'x'.repeat(17 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('the meldformulier refuses fields it has not got (issue 13)', () => {
  let address = 200;
  const resident =
    'reporterType=burger&description=Twaalf+arbeiders+in+%C3%A9%C3%A9n+garage.&municipality=GM0114&observedAt=2024-03-01&form=arbeid&minorsSuspected=nee';
  const postWeb = (body: string, contentType: string) =>
    fetch(`${stack.ready.apiUrl}/v1/web/signals`, {
      method: 'POST',
      headers: { 'content-type': contentType, 'cloudfront-viewer-address': `198.51.100.${address++}:1` },
      body,
    });

  it('shows "Onbekend veld" on the page for a form post with a field the form has not got, whatever its name', async () => {
    for (const [extra, name] of [
      ['foo=bar', 'foo'],
      ['form%5B%5D=arbeid', 'form[]'],
      ['__proto__%5Bx%5D=1', '__proto__[x]'],
      ['__proto__=x', '__proto__'],
    ]) {
      const response = await postWeb(`${resident}&${extra}`, 'application/x-www-form-urlencoded');
      expect(response.status, extra).toBe(422);
      expect(response.headers.get('content-type')).toContain('text/html');
      const html = await response.text();
      expect(html).toContain('id="foutmeldingen"');
      expect(html, extra).toContain(`Onbekend veld: „${name}”`);
    }
  });

  it('refuses a repeated field', async () => {
    const response = await postWeb(`${resident}&form=seksueel`, 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
  });

  it('names an unknown JSON field of any type by its pointer', async () => {
    const fields = Object.fromEntries(new URLSearchParams(resident));
    for (const [json, pointer] of [
      ['"foo":1', '/foo'],
      ['"__proto__":{}', '/__proto__'],
    ]) {
      const response = await postWeb(`${JSON.stringify(fields).slice(0, -1)},${json}}`, 'application/json');
      expect(response.status, json).toBe(422);
      const body = (await response.json()) as { errors: Array<{ pointer: string; detail: string }> };
      expect(body.errors).toEqual([{ pointer, detail: expect.stringContaining('Onbekend veld') }]);
    }
  });

  it('stored none of them', async () => {
    await stack.settle();
    expect((await stack.statistics('year=2024')).byChannel.web).toBe(0);
  });
});
