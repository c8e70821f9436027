import { problem, todayInNetherlands } from '#domain/kernel/index.js';
import type { ApiKeyStore } from '#domain/partners/index.js';
import {
  type CounterItemsReader,
  publicStatisticsTag,
  type ReleaseReader,
  readPublicStatistics,
  readStatistics,
  statisticsEtag,
} from '#domain/statistics/index.js';
import type { MonitorAnswer } from '../../web/pages/cijfers-format.js';
import { cijfersPage } from '../../web/pages/cijfers-page.js';
import { SECURITY_HEADERS } from '../../web/pages/html.js';
import { apiKeyFrom, authorize } from '../lib/authorization.js';
import { apiKeyStore, counterReader, releaseReader } from '../lib/dependencies.js';
import { type HttpResult, header, jsonResponse, problemResponse } from '../lib/http.js';
import { httpHandler } from '../lib/middleware.js';
import { isNotModified, preferredMediaType } from '../statistics/negotiation.js';
import { pageQuery } from './query.js';

export interface CijfersPorts {
  /** The live counters: the exact figures, as GET /v1/statistics reads them. */
  counters: CounterItemsReader;
  /** The public releases, as GET /v1/public/statistics reads them. */
  releases: ReleaseReader;
  keys: ApiKeyStore;
}

/** The scope a key needs for the exact figures: the same as GET /v1/statistics. */
export const EXACT_SCOPE = 'statistics:read';

const htmlResult = (statusCode: number, body: string, headers: Record<string, string>): HttpResult => ({
  statusCode,
  headers: { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body,
});

/**
 * GET /cijfers: the monitor. Anyone gets the public release; a request with a key holding statistics:read
 * (from a proxy in front of a dashboard screen, say) gets the exact live figures, checked as the authorizer
 * checks a key; the key itself never reaches the page. The same URL answers JSON to `Accept:
 * application/json`, with an ETag and 304, so that the page's script can poll it: through a proxy that adds
 * the key, the page's own URL is the one place the browser can poll the exact figures from. The tags are
 * those of the two statistics routes, so a public poll is answered 304 after reading only the release.
 */
export const cijfersPageHandler = (ports: CijfersPorts) =>
  httpHandler(async (event) => {
    const json = preferredMediaType(header(event, 'accept'), ['text/html', 'application/json']) === 'application/json';
    const thisYear = Number(todayInNetherlands().slice(0, 4));
    const { filter, query } = pageQuery(new URLSearchParams(event.rawQueryString ?? ''), thisYear);

    const key = apiKeyFrom(event.headers ?? {});
    const verdict = key === undefined ? undefined : await authorize(key, EXACT_SCOPE, ports.keys);
    const exact = verdict?.verdict === 'allow';
    // A shared cache must not give one person's answer to another: it differs by format and by key.
    const headers: Record<string, string> = { vary: 'Accept, Authorization, X-Api-Key', 'cache-control': exact ? 'private, no-store' : 'no-cache' };

    if (verdict && verdict.verdict !== 'allow') {
      const refusal =
        verdict.verdict === 'forbidden'
          ? problem(403, 'forbidden', 'Geen toegang', `Deze sleutel heeft niet het recht ${EXACT_SCOPE}. Zonder sleutel ziet u de openbare cijfers.`)
          : problem(401, 'unauthorized', 'Niet geautoriseerd', 'Deze sleutel is onbekend. Zonder sleutel ziet u de openbare cijfers.');
      const refused = { ...headers, ...(refusal.status === 401 && { 'www-authenticate': 'Bearer realm="meldroute"' }) };
      if (json) return problemResponse(refusal, refused);
      const notice = { kind: 'error' as const, title: refusal.title, text: refusal.detail ?? '' };
      return htmlResult(refusal.status, cijfersPage({ filter, thisYear, notice }), refused);
    }

    if (!query) {
      const errors = Object.entries(filter.errors).map(([field, detail]) => ({ pointer: `/${field}`, detail }));
      if (json) return problemResponse(problem(422, 'validation', 'Ongeldige invoer', 'Een of meer zoekparameters kloppen niet.', errors), headers);
      const text = `Kies het jaar en het gebied opnieuw: ${Object.values(filter.errors).join(' ')}`;
      return htmlResult(422, cijfersPage({ filter, thisYear, notice: { kind: 'error', title: 'Deze cijfers kunnen we niet tonen', text } }), headers);
    }

    let answer: MonitorAnswer;
    let etag: string;
    if (exact) {
      const statistics = await readStatistics(query, ports.counters);
      answer = statistics;
      etag = statisticsEtag(statistics);
    } else {
      const release = (await ports.releases.latest(query.region)) ?? null;
      etag = publicStatisticsTag(release, query, 'application/json');
      if (json && isNotModified(header(event, 'if-none-match'), etag)) return { statusCode: 304, headers: { ...headers, etag } } satisfies HttpResult;
      answer = await readPublicStatistics(query, { releases: ports.releases }, release);
    }
    if (json) {
      if (isNotModified(header(event, 'if-none-match'), etag)) return { statusCode: 304, headers: { ...headers, etag } } satisfies HttpResult;
      return jsonResponse(200, answer, { ...headers, etag });
    }
    return htmlResult(200, cijfersPage({ filter, thisYear, answer, etag }), headers);
  });

export const handler = cijfersPageHandler({ counters: counterReader(), releases: releaseReader(), keys: apiKeyStore() });
