/**
 * The monitor with JavaScript: polls the figures every 10 seconds and, when they changed, redraws the
 * numbers, charts and tables in place with the same page functions as the server, and says so in the
 * status line (aria-live="polite"). It polls the page's own URL with Accept: application/json and
 * If-None-Match, so that a 304 costs nothing and a key that a proxy adds to the page's requests is added
 * to these too (the page never holds the key). Without JavaScript none of this runs and the page is
 * complete as the server sent it; reloading it shows new figures.
 */
import type { MonitorAnswer } from '../pages/cijfers-format.js';
import { answerSections, FIGURES_ID, STATUS_ID, statusText } from '../pages/cijfers-page.js';

export const POLL_MS = 10_000;

const root = document.getElementById(FIGURES_ID);
const status = document.getElementById(STATUS_ID);

/** What each section was last drawn from; unknown (and so redrawn) until the first change after loading. */
const drawn = new Map<string, string>();

/** The focused element's id or link, to focus its successor after its section is redrawn. */
function focusedSelector(): string | undefined {
  const active = document.activeElement;
  if (!active || active === document.body || !root?.contains(active)) return undefined;
  if (active.id) return `#${CSS.escape(active.id)}`;
  const href = active.getAttribute('href');
  return href ? `a[href="${CSS.escape(href)}"]` : undefined;
}

/**
 * Replaces each section whose markup changed, adds those that are new (the figures of a first public
 * release, in the place of its notice) and removes those that are gone; the rest is left as it is.
 */
function redraw(figures: HTMLElement, answer: MonitorAnswer): void {
  const focused = focusedSelector();
  const sections = answerSections(answer);
  const ids = new Set(sections.map((s) => s.id));
  for (const child of [...figures.children]) if (!ids.has(child.id)) child.remove();
  for (const { id, html } of sections) {
    const current = document.getElementById(id);
    if (current && drawn.get(id) === html) continue;
    const template = document.createElement('template');
    template.innerHTML = html;
    const next = template.content.firstElementChild;
    if (!next) continue;
    if (current) current.replaceWith(next);
    else figures.append(next);
    drawn.set(id, html);
  }
  if (focused) (document.querySelector(focused) as HTMLElement | null)?.focus();
  if (status) status.textContent = statusText(answer);
}

/** The earliest moment the public figures can change; polling before it would only get 304s. */
function nextPossible(answer: MonitorAnswer): number {
  const next = answer.release?.nextPossibleAt;
  return next ? Date.parse(next) : 0;
}

let etag = root?.dataset.etag;
let notBefore = Date.parse(root?.dataset.next ?? '') || 0;

async function poll(): Promise<void> {
  if (document.hidden || Date.now() < notBefore) return;
  const response = await fetch(location.pathname + location.search, {
    headers: { accept: 'application/json', ...(etag && { 'if-none-match': etag }) },
    cache: 'no-store',
    credentials: 'same-origin',
  });
  if (response.status !== 200 || !root) return;
  const answer = (await response.json()) as MonitorAnswer;
  etag = response.headers.get('etag') ?? undefined;
  notBefore = nextPossible(answer);
  redraw(root, answer);
}

function schedule(): void {
  setTimeout(() => {
    poll()
      .catch(() => undefined)
      .finally(schedule);
  }, POLL_MS);
}

if (root && status) schedule();
