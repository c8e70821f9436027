import { escapeHtml } from './html.js';
import { layout } from './layout.js';

export const RECEIPT_TITLE = 'Bedankt voor uw melding';

/** What the reporter sees after sending: the reference, and what happens next. */
export function receiptMain(reference: string): string {
  return `<h1 class="utrecht-heading-1" tabindex="-1">${RECEIPT_TITLE}</h1>
<div class="utrecht-alert utrecht-alert--ok" role="status">
<p class="utrecht-paragraph">Uw melding is ontvangen. Uw referentienummer is <strong class="reference" id="referentie">${escapeHtml(reference)}</strong>.</p>
</div>
<p class="utrecht-paragraph">Noteer dit nummer. Als u later nog iets wilt aanvullen, kunt u het noemen; dan weten we over welke melding het gaat.</p>
<h2 class="utrecht-heading-2">Wat er nu gebeurt</h2>
<p class="utrecht-paragraph">Een zorgcoördinator mensenhandel bekijkt uw melding. Elke twee weken bespreken politie, gemeente en hulpverlening samen de meldingen en kiezen ze wat er nodig is: hulp, een onderzoek, of allebei. U hoort daar meestal niets over, ook niet als er wel iets gebeurt.</p>
<p class="utrecht-paragraph"><strong>Bij direct gevaar: bel 112.</strong></p>
<p class="utrecht-paragraph"><a class="utrecht-link" href="/">Nog een melding doen</a></p>`;
}

export const receiptPage = (reference: string) => layout(RECEIPT_TITLE, receiptMain(reference));
