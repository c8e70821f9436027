import { escapeHtml } from './html.js';
import { layout } from './layout.js';

/** A page that says, in plain Dutch, why a report was not taken and what to do. */
export function noticeMain(title: string, message: string): string {
  return `<h1 class="utrecht-heading-1" tabindex="-1">${escapeHtml(title)}</h1>
<div class="utrecht-alert utrecht-alert--warning" role="alert"><p class="utrecht-paragraph">${escapeHtml(message)}</p></div>
<p class="utrecht-paragraph"><strong>Bij direct gevaar: bel 112.</strong></p>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/">Terug naar het meldformulier</a></p>`;
}

export const noticePage = (title: string, message: string) => layout(title, noticeMain(title, message));

/** The rate limit's explanation, the same for the page and for the API's problem detail. */
export function rateLimitMessage(window: 'minute' | 'day', retryAfterSeconds: number): string {
  const wait = window === 'minute' ? `over ${Math.max(1, retryAfterSeconds)} seconden` : `over ${Math.ceil(retryAfterSeconds / 3600)} uur`;
  return `Vanaf uw internetverbinding zijn ${window === 'minute' ? 'deze minuut' : 'vandaag'} al veel meldingen gedaan. Om misbruik te voorkomen kunt u ${wait} weer een melding doen. Is het dringend? Bel dan de politie op 0900-8844, of bij direct gevaar 112.`;
}
