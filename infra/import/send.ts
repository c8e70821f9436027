import { setTimeout as sleep } from 'node:timers/promises';
import type { BatchSignal } from '#domain/intake/import/index.js';
import { MAX_BATCH_SIGNALS, type SignalBatchResult, SignalBatchResultSchema } from '#domain/intake/index.js';

export interface SendOptions {
  url: string;
  key: string;
  batchSize?: number;
  /** Stop after this many batches, as an interruption would (for testing a resumed import). */
  stopAfterBatches?: number;
  /** How often a batch, or the signals in it that 'failed', is tried in all. */
  attempts?: number;
  /** The longest wait for one Retry-After, in ms. */
  maxWaitMs?: number;
  onBatch?: (done: number) => void;
  onWait?: (reason: string, ms: number) => void;
}

export type ItemResult = SignalBatchResult['results'][number];

/** A problem that ends the import: the key refused, the API unreachable; its message is Dutch. */
export class ImportStoppedError extends Error {}

/** Seconds from a Retry-After header (or a date), in ms; a default when it says nothing usable. */
function retryAfterMs(header: string | null, fallback: number): number {
  if (!header) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? fallback : Math.max(0, at - Date.now());
}

async function postBatch(signals: readonly BatchSignal[], options: SendOptions): Promise<SignalBatchResult> {
  const attempts = options.attempts ?? 8;
  const maxWait = options.maxWaitMs ?? 60_000;
  for (let attempt = 1; ; attempt++) {
    const backoff = Math.min(maxWait, 500 * 2 ** (attempt - 1));
    let response: Response;
    try {
      response = await fetch(new URL('/v1/signals/batch', options.url), {
        method: 'POST',
        headers: { authorization: `Bearer ${options.key}`, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ signals }),
        signal: AbortSignal.timeout(120_000),
      });
    } catch (error) {
      if (attempt >= attempts) throw new ImportStoppedError(`De API op ${options.url} is niet bereikbaar (${(error as Error).name}).`);
      options.onWait?.('API niet bereikbaar', backoff);
      await sleep(backoff);
      continue;
    }
    if (response.status === 207 || response.status === 200) {
      const parsed = SignalBatchResultSchema.safeParse(await response.json());
      if (!parsed.success) throw new ImportStoppedError('De API gaf een antwoord dat deze import niet kent; is --url de Meldroute-API?');
      return parsed.data;
    }
    await response.body?.cancel();
    if ((response.status === 503 || response.status === 429 || response.status >= 500) && attempt < attempts) {
      const wait = Math.min(maxWait, retryAfterMs(response.headers.get('retry-after'), backoff));
      options.onWait?.(`API antwoordt ${response.status}`, wait);
      await sleep(wait);
      continue;
    }
    if (response.status === 401 || response.status === 403) {
      throw new ImportStoppedError(`De API weigert de sleutel (${response.status}); gebruik een sleutel met signals:write (--key).`);
    }
    throw new ImportStoppedError(`De API antwoordt ${response.status} op een batch; de import stopt.`);
  }
}

/** The API refused the signals' source types (the bron column): the key lacks signals:source. */
export class SourceRefusedError extends ImportStoppedError {}

/** The API's refusal of a source type the key may not state (the import checked the value itself against the same schema). */
const refusesSource = (item: ItemResult | undefined) =>
  item?.status === 'invalid' && (item.errors ?? []).some((e) => /^\/signals\/\d+\/sourceType$/.test(e.pointer));
/** The API's answer to an externalId received before with other content. */
const conflicts = (item: ItemResult | undefined) => item?.status === 'invalid' && (item.errors ?? []).some((e) => e.pointer.endsWith('/externalId'));

export interface SendOutcome {
  /** One result per signal, in order; undefined for signals not sent because of stopAfterBatches. */
  results: Array<ItemResult | undefined>;
  /** The signals that came in before without their source (imported before the bron column was sent): duplicates now. */
  receivedWithoutSource: number[];
}

/** Posts these signals as one batch, and the ones that 'failed' again by themselves; the results by index into `signals`. */
async function postWithRetries(indices: readonly number[], signalAt: (i: number) => BatchSignal, options: SendOptions): Promise<Map<number, ItemResult>> {
  const results = new Map<number, ItemResult>();
  let pending = [...indices];
  for (let attempt = 1; pending.length; attempt++) {
    const answer = await postBatch(pending.map(signalAt), options);
    const retry: number[] = [];
    for (const item of answer.results) {
      const index = pending[item.index]!;
      results.set(index, { ...item, index });
      if (item.status === 'failed') retry.push(index);
    }
    if (!retry.length || attempt >= (options.attempts ?? 8)) break;
    const wait = Math.min(options.maxWaitMs ?? 60_000, 500 * 2 ** (attempt - 1));
    options.onWait?.(`${retry.length} signalen niet verwerkt`, wait);
    await sleep(wait);
    pending = retry;
  }
  return results;
}

const withoutSource = ({ sourceType: _, ...signal }: BatchSignal): BatchSignal => signal;

/**
 * Sends the signals in batches through POST /v1/signals/batch and gives one result per signal, in order.
 * A batch that is refused for a while (503, 429) waits for Retry-After and goes again; signals that
 * 'failed' go again by themselves. Each goes with its externalId, so nothing sent twice counts twice.
 *
 * When signals state their source, the first of them goes alone first: a key that may not state it
 * (no signals:source) is refused on that one, and the import stops with nothing taken in. A signal with a
 * source that the API calls received before with other content is tried once more without it: a row
 * imported before the bron column was sent is then a duplicate, not an error, and stays counted as it was.
 */
export async function sendSignals(signals: readonly BatchSignal[], options: SendOptions): Promise<SendOutcome> {
  const size = Math.min(MAX_BATCH_SIGNALS, Math.max(1, options.batchSize ?? MAX_BATCH_SIGNALS));
  const results: Array<ItemResult | undefined> = new Array(signals.length).fill(undefined);
  const receivedWithoutSource: number[] = [];
  const probe = signals.findIndex((signal) => signal.sourceType !== undefined);
  const rest = [...signals.keys()].filter((i) => i !== probe);
  const batches = [...(probe >= 0 ? [[probe]] : []), ...Array.from({ length: Math.ceil(rest.length / size) }, (_, b) => rest.slice(b * size, (b + 1) * size))];
  let done = 0;
  for (const [n, batch] of batches.entries()) {
    if (options.stopAfterBatches !== undefined && n >= options.stopAfterBatches) break;
    for (const [index, item] of await postWithRetries(batch, (i) => signals[i]!, options)) results[index] = item;
    if (batch.some((i) => refusesSource(results[i]))) {
      throw new SourceRefusedError(
        `De API weigert de kolom bron: deze sleutel mag niet per signaal opgeven van wie het komt (daarvoor is de scope signals:source nodig). Vraag de beheerder om een sleutel met signals:write en signals:source, of importeer met --zonder-bron: dan telt elk signaal onder het brontype van de sleutel.${done === 0 ? ' Er is niets ontvangen.' : ''}`,
      );
    }
    const retried = batch.filter((i) => signals[i]!.sourceType !== undefined && conflicts(results[i]));
    if (retried.length) {
      for (const [index, item] of await postWithRetries(retried, (i) => withoutSource(signals[i]!), options)) {
        if (item.status !== 'duplicate') continue;
        results[index] = item;
        receivedWithoutSource.push(index);
      }
    }
    done += batch.length;
    options.onBatch?.(done);
  }
  return { results, receivedWithoutSource };
}
