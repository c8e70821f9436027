import { createHash } from 'node:crypto';

/** Record keys and cell keys lie in [0, KEY_SPACE). */
export const KEY_SPACE = 256;

/**
 * A signal's record key: the first byte of SHA-256 of its signalId. It is fixed for the signal's lifetime,
 * so every cell the signal falls in gets the same contribution to its cell key, in every table and release.
 * The signalId is never published, so nobody outside can compute it.
 */
export function recordKeyOf(signalId: string): number {
  return createHash('sha256').update(signalId, 'utf8').digest()[0]!;
}

/**
 * A cell's key: the sum of its signals' record keys, mod 256. The sum is what the aggregator keeps beside
 * each count (adding a signal's record key when it is counted, subtracting it when it leaves), whether it
 * keeps the sum whole or reduced mod 256 (where subtracting may leave it negative), the key is the same.
 */
export function cellKeyOf(keySum: number): number {
  if (!Number.isSafeInteger(keySum)) throw new RangeError(`a key sum is an integer, not ${keySum}`);
  return ((keySum % KEY_SPACE) + KEY_SPACE) % KEY_SPACE;
}
