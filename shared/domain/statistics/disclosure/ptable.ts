import { KEY_SPACE } from './record-key.js';

/** How the 256 cell keys of one true count are shared out over noise values: `{ noise: number of keys }`. */
export type NoiseRow = Readonly<Record<number, number>>;

/**
 * A perturbation table (p-table) for counts: which noise a cell gets, given its true count and its cell key.
 * Rows are relative to the suppression threshold: `rows[i]` serves the true count threshold + i, and the last
 * row serves every larger count as well. Counts below the threshold never reach the table.
 */
export interface PTable {
  readonly rows: readonly NoiseRow[];
  /**
   * Keys on which a count at or just above the threshold is suppressed all the same: `suppressed[i]` takes,
   * for the true count threshold + i, that many of the keys rows[i] gives each noise value, and publishes
   * null on them instead. Without it a shown count is never below the threshold and a suppressed one never
   * above it, so noise at its extremes can pin a suppressed cell between a total and a shown part; with it,
   * a suppressed cell may also be threshold … threshold + suppressed.length - 1. The last row (every larger
   * count) is never suppressed, and what is left published of a row keeps a mean of exactly 0.
   */
  readonly suppressed?: readonly NoiseRow[];
}

/**
 * The p-table the monitor publishes with: noise in [-2, +2], mean exactly 0 and variance 1 over the 256
 * keys of every row that can move both ways, never below the threshold.
 *
 * Based on the cell key method as the ABS built it for TableBuilder (Thompson, Broadfoot & Elazar 2013,
 * https://unece.org/fileadmin/DAM/stats/documents/ece/ces/ge.46/2013/Topic_1_ABS.pdf, the basis the sdcTools
 * cellKey package cites) and as ONS used it for Census 2021 (the same records in a cell get the same noise in
 * any table): record keys 0-255, a cell key that is their sum mod 256, and a lookup from (count, cell key) to
 * noise. The rows obey the constraints of sdcTools' ptable package (`create_cnt_ptable(D = 2, V = 1, js = 4)`,
 * after Giessing 2016 and Giessing & Tent 2019): maximum noise D, zero mean, fixed variance V, no target count
 * in the suppressed range, and maximum entropy among the distributions that meet those. We maximised the
 * entropy over whole 256ths, so that the mean is exactly 0 over the keys:
 * - count ≥ threshold + 2: (-2, -1, 0, +1, +2) on (16, 64, 96, 64, 16) keys; variance exactly 1.
 * - count = threshold + 1: may not go 2 down, so (-1, 0, +1, +2) on (102, 78, 50, 26) keys; mean 0, variance 1.
 * - count = threshold: may not go down at all, and a zero mean then leaves only 0; a 5 is published as 5.
 * Keys are laid out in order of noise (like the intervals of ptable's 'destatis' type); as cell keys are
 * uniform, the layout does not matter for the distribution.
 *
 * On top of that, a 5 is suppressed on 64 of its 256 keys and a 6 on 32 (12, 11, 6 and 3 of its keys for
 * noise -1, 0, +1 and +2, so that the 224 published keys keep a mean of exactly 0): a suppressed cell is
 * then 1 to 6, "<7", and a total at the top of its noise beside a part at the bottom no longer leaves one
 * value for the suppressed cell between them (docs/disclosure.md, "The three attacks").
 */
export const CELL_KEY_PTABLE: PTable = {
  rows: [{ 0: 256 }, { [-1]: 102, 0: 78, 1: 50, 2: 26 }, { [-2]: 16, [-1]: 64, 0: 96, 1: 64, 2: 16 }],
  suppressed: [{ 0: 64 }, { [-1]: 12, 0: 11, 1: 6, 2: 3 }],
};

/** No noise at all: small-cell suppression alone. Only for comparison; it leaves suppressed cells derivable. */
export const NO_NOISE_PTABLE: PTable = { rows: [{ 0: 256 }] };

/** What a compiled p-table holds for a key on which the count is suppressed: not a noise (|noise| < 128). */
export const SUPPRESSED_KEY = -128;

/** A p-table checked against its constraints and laid out as one noise (or SUPPRESSED_KEY) per cell key per row. */
export type CompiledPTable = readonly Int8Array[];

const entriesOf = (row: NoiseRow) =>
  Object.entries(row)
    .map(([noise, keys]) => [Number(noise), keys] as const)
    .sort(([a], [b]) => a - b);

/**
 * Checks that `ptable` keeps its promises for `maxNoise` and lays its rows out by cell key. A p-table that
 * could push a count below the threshold, or that is biased, is refused: it is a setting, and a wrong
 * setting must not quietly publish small counts.
 */
export function compilePTable(ptable: PTable, maxNoise: number): CompiledPTable {
  if (!Number.isSafeInteger(maxNoise) || maxNoise < 0 || maxNoise > 127) throw new RangeError(`max noise is a whole number 0 to 127, not ${maxNoise}`);
  if (ptable.rows.length === 0) throw new RangeError('a p-table has at least one row');
  const suppressed = ptable.suppressed ?? [];
  if (suppressed.length >= ptable.rows.length) throw new RangeError('the last row of a p-table serves every larger count and may not be suppressed');
  return ptable.rows.map((row, offset) => {
    const entries = entriesOf(row);
    let total = 0;
    let moment = 0;
    for (const [noise, keys] of entries) {
      if (!Number.isSafeInteger(noise) || Math.abs(noise) > maxNoise) throw new RangeError(`row ${offset}: noise ${noise} is beyond ±${maxNoise}`);
      if (!Number.isSafeInteger(keys) || keys < 0) throw new RangeError(`row ${offset}: ${keys} keys for noise ${noise}`);
      if (keys > 0 && noise < -offset) throw new RangeError(`row ${offset}: noise ${noise} would publish a count below the threshold`);
      total += keys;
      moment += noise * keys;
    }
    if (total !== KEY_SPACE) throw new RangeError(`row ${offset}: ${total} keys, not ${KEY_SPACE}`);
    if (moment !== 0) throw new RangeError(`row ${offset}: the noise has mean ${moment / KEY_SPACE}, not 0`);
    // Within each noise value's keys, the suppressed ones come first.
    const hidden = new Map(entriesOf(suppressed[offset] ?? {}));
    let hiddenMoment = 0;
    for (const [noise, keys] of hidden) {
      if (!Number.isSafeInteger(keys) || keys < 0 || keys > (row[noise] ?? 0))
        throw new RangeError(`row ${offset}: ${keys} suppressed keys for noise ${noise}`);
      hiddenMoment += noise * keys;
    }
    if (hiddenMoment !== 0) throw new RangeError(`row ${offset}: the keys left published have a noise of mean ≠ 0`);
    const lookup = new Int8Array(KEY_SPACE);
    let key = 0;
    for (const [noise, keys] of entries) {
      const off = hidden.get(noise) ?? 0;
      lookup.fill(SUPPRESSED_KEY, key, key + off);
      lookup.fill(noise, key + off, key + keys);
      key += keys;
    }
    return lookup;
  });
}

/**
 * The largest true count the p-table may suppress at the given threshold: threshold - 1, or more when it
 * also suppresses counts above it on some keys. A suppressed cell is 1 to this (or 0 under a suppressed total).
 */
export function largestSuppressed(ptable: PTable, threshold: number): number {
  const rows = ptable.suppressed ?? [];
  let last = -1;
  rows.forEach((row, offset) => {
    if (Object.values(row).some((keys) => keys > 0)) last = offset;
  });
  return threshold - 1 + last + 1;
}
