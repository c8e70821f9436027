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

/**
 * Sends the signals in batches through POST /v1/signals/batch and gives one result per signal, in order.
 * A batch that is refused for a while (503, 429) waits for Retry-After and goes again; signals that
 * 'failed' go again by themselves. Each goes with its externalId, so nothing sent twice counts twice.
 * Results are undefined for signals not sent because of stopAfterBatches.
 */
export async function sendSignals(signals: readonly BatchSignal[], options: SendOptions): Promise<Array<ItemResult | undefined>> {
  const size = Math.min(MAX_BATCH_SIGNALS, Math.max(1, options.batchSize ?? MAX_BATCH_SIGNALS));
  const results: Array<ItemResult | undefined> = new Array(signals.length).fill(undefined);
  let batches = 0;
  for (let start = 0; start < signals.length; start += size) {
    if (options.stopAfterBatches !== undefined && batches >= options.stopAfterBatches) break;
    let pending = Array.from({ length: Math.min(size, signals.length - start) }, (_, i) => start + i);
    for (let attempt = 1; pending.length; attempt++) {
      const answer = await postBatch(
        pending.map((i) => signals[i]!),
        options,
      );
      const retry: number[] = [];
      for (const item of answer.results) {
        const index = pending[item.index]!;
        results[index] = { ...item, index };
        if (item.status === 'failed') retry.push(index);
      }
      if (!retry.length || attempt >= (options.attempts ?? 8)) break;
      const wait = Math.min(options.maxWaitMs ?? 60_000, 500 * 2 ** (attempt - 1));
      options.onWait?.(`${retry.length} signalen niet verwerkt`, wait);
      await sleep(wait);
      pending = retry;
    }
    batches++;
    options.onBatch?.(Math.min(signals.length, start + size));
  }
  return results;
}
