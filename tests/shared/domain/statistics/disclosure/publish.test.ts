import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CELL_KEY_PTABLE,
  cellKeyOf,
  compilePTable,
  countRange,
  DEFAULT_DISCLOSURE_POLICY,
  DEFAULT_ZERO_KEYS,
  type DisclosurePolicy,
  largestSuppressedCount,
  NO_NOISE_PTABLE,
  publishCell,
  publishUnsuppressed,
  recordKeyOf,
  SUPPRESSED_LABEL,
  suppressedLabel,
  zeroHidden,
  zeroKeyOf,
} from '#domain/statistics/disclosure/index.js';
import { random } from './attacker.js';

const KEYS = Array.from({ length: 256 }, (_, key) => key);
const policy = DEFAULT_DISCLOSURE_POLICY;

describe('recordKeyOf', () => {
  it('is the first byte of SHA-256 of the signalId', () => {
    // SHA-256("abc") = ba7816bf...
    expect(recordKeyOf('abc')).toBe(0xba);
    const id = '0b7f6c2e-6a53-4b8e-9a57-1f2f7c1b9d40';
    expect(recordKeyOf(id)).toBe(createHash('sha256').update(id).digest()[0]);
  });

  it('spreads signalIds evenly over 0..255', () => {
    const counts = new Array(256).fill(0);
    for (let i = 0; i < 25_600; i++) counts[recordKeyOf(`signal-${i}`)]++;
    // 100 expected per key; chi-square with 255 degrees of freedom stays far below 400 for a uniform key.
    const chiSquare = counts.reduce((sum, n) => sum + (n - 100) ** 2 / 100, 0);
    expect(chiSquare).toBeLessThan(400);
  });

  it('reduces a key sum mod 256, whether kept whole, reduced or negative', () => {
    expect(cellKeyOf(300)).toBe(44);
    expect(cellKeyOf(44)).toBe(44);
    expect(cellKeyOf(-212)).toBe(44);
    expect(() => cellKeyOf(1.5)).toThrow(RangeError);
  });
});

describe('publishCell', () => {
  it('shows 0 as 0 and suppresses 1 to 4, whatever the key', () => {
    for (const key of KEYS) {
      expect(publishCell(0, key, policy)).toBe(0);
      for (const count of [1, 2, 3, 4]) expect(publishCell(count, key, policy)).toBeNull();
    }
  });

  it('never publishes 5 or more below 5, and never moves a count more than 2', () => {
    for (let count = 5; count <= 120; count++) {
      for (const key of KEYS) {
        const shown = publishCell(count, key, policy);
        if (shown === null) continue;
        expect(shown).toBeGreaterThanOrEqual(5);
        expect(Math.abs(shown - count)).toBeLessThanOrEqual(2);
      }
    }
  });

  it('suppresses a 5 on 64 keys and a 6 on 32, and nothing from 7 on: a null is 1 to 6, "<7"', () => {
    const suppressedKeys = (count: number) => KEYS.filter((key) => publishCell(count, key, policy) === null).length;
    expect([5, 6, 7, 8, 50].map(suppressedKeys)).toEqual([64, 32, 0, 0, 0]);
    expect(largestSuppressedCount(policy)).toBe(6);
    expect(SUPPRESSED_LABEL).toBe('<7');
    expect(suppressedLabel({ threshold: 5, maxNoise: 0, ptable: NO_NOISE_PTABLE })).toBe('<5');
  });

  it('gives the same signals the same answer, however the key sum is kept', () => {
    const cells: [count: number, keySum: number][] = [
      [7, 1234],
      [12, 0],
      [40, 99_999],
    ];
    for (const [count, keySum] of cells) {
      const first = publishCell(count, keySum, policy);
      expect(publishCell(count, keySum, policy)).toBe(first);
      expect(publishCell(count, keySum % 256, policy)).toBe(first);
      expect(publishCell(count, keySum + 256 * 7, policy)).toBe(first);
    }
  });

  it('adds noise with mean exactly 0 and variance 1 over the 256 keys, once a count can move both ways', () => {
    for (const count of [7, 8, 20, 67, 500]) {
      const noise = KEYS.map((key) => publishCell(count, key, policy)! - count);
      expect(noise.reduce((a, b) => a + b, 0)).toBe(0);
      expect(noise.reduce((a, d) => a + d * d, 0) / 256).toBe(1);
    }
    // A 6 is suppressed on 32 keys; the 224 it is published on keep a mean of exactly 0 (variance 226/224).
    const six = KEYS.flatMap((key) => publishCell(6, key, policy) ?? []).map((shown) => shown - 6);
    expect(six).toHaveLength(224);
    expect(six.reduce((a, b) => a + b, 0)).toBe(0);
    // A count at the threshold may not go down, and a zero mean then leaves it as it is (where it is shown).
    expect(new Set(KEYS.map((key) => publishCell(5, key, policy)))).toEqual(new Set([5, null]));
  });

  it('adds noise with mean ≈ 0 within ±2 to cells of real signals', () => {
    const next = random(14);
    let sum = 0;
    let squares = 0;
    const cells = 20_000;
    for (let cell = 0; cell < cells; cell++) {
      const count = 7 + Math.floor(next() * 60);
      let keySum = 0;
      for (let i = 0; i < count; i++) keySum += recordKeyOf(`cell-${cell}-signal-${i}`);
      const noise = publishCell(count, keySum, policy)! - count;
      expect(Math.abs(noise)).toBeLessThanOrEqual(2);
      sum += noise;
      squares += noise * noise;
    }
    expect(Math.abs(sum / cells)).toBeLessThan(0.03);
    expect(squares / cells).toBeCloseTo(1, 1);
  });

  it('takes its threshold from the policy: 1 publishes every count, 10 suppresses up to 9', () => {
    const everything: DisclosurePolicy = { ...policy, threshold: 1, ptable: { rows: CELL_KEY_PTABLE.rows } };
    for (const key of KEYS) {
      expect(publishCell(0, key, everything)).toBe(0);
      for (const count of [1, 2, 3, 4]) expect(publishCell(count, key, everything)).toBeGreaterThanOrEqual(1);
    }
    const strict: DisclosurePolicy = { ...policy, threshold: 10 };
    for (const key of KEYS) {
      for (let count = 1; count < 10; count++) expect(publishCell(count, key, strict)).toBeNull();
      for (let count = 12; count < 30; count++) expect(publishCell(count, key, strict)).toBeGreaterThanOrEqual(10);
    }
    expect(largestSuppressedCount(strict)).toBe(11);
  });

  it('without noise publishes the true count from the threshold on', () => {
    const thresholdOnly: DisclosurePolicy = { threshold: 5, maxNoise: 0, ptable: NO_NOISE_PTABLE };
    for (const key of KEYS) for (const count of [5, 6, 17]) expect(publishCell(count, key, thresholdOnly)).toBe(count);
  });

  it('refuses counts that are not whole numbers ≥ 0', () => {
    expect(() => publishCell(-1, 0, policy)).toThrow(RangeError);
    expect(() => publishCell(2.5, 0, policy)).toThrow(RangeError);
    expect(() => publishCell(5, 0, { ...policy, threshold: 0 })).toThrow(RangeError);
  });
});

describe('zeros in a table', () => {
  const relation = (seed: number) => [
    { count: 12, keySum: seed },
    { count: 12, keySum: Math.floor(seed / 256) },
    { count: 0, keySum: 0 },
  ];

  it('are null on 1 key in 8 of their table (zeroKeyOf, zeroHidden): over many tables, about one 0 in 8', () => {
    expect(DEFAULT_ZERO_KEYS).toBe(32);
    let hidden = 0;
    for (let seed = 0; seed < 4000; seed++) if (zeroHidden(zeroKeyOf('form#crimineel', relation(seed)), policy)) hidden++;
    expect(hidden / 4000).toBeGreaterThan(0.1);
    expect(hidden / 4000).toBeLessThan(0.15);
  });

  it('take the same key wherever the same table is published, and another in another table or under another label', () => {
    const key = zeroKeyOf('form#crimineel', relation(7));
    expect(zeroKeyOf('form#crimineel', relation(7))).toBe(key);
    // Kept whole or reduced mod 256, the key sums give the same key.
    expect(
      zeroKeyOf(
        'form#crimineel',
        relation(7).map((cell) => ({ ...cell, keySum: cell.keySum + 256 * 3 })),
      ),
    ).toBe(key);
    const others = [zeroKeyOf('form#orgaanverwijdering', relation(7)), ...[8, 9, 10].map((seed) => zeroKeyOf('form#crimineel', relation(seed)))];
    expect(others.some((other) => other !== key)).toBe(true);
  });

  it('are never hidden in a table whose total is 0, nor under a policy without zeroKeys', () => {
    expect(zeroKeyOf('form#crimineel', [{ count: 0, keySum: 0 }])).toBeUndefined();
    expect(zeroHidden(undefined, policy)).toBe(false);
    expect(zeroHidden(0, { ...policy, zeroKeys: 0 })).toBe(false);
    expect(zeroHidden(31, policy)).toBe(true);
    expect(zeroHidden(32, policy)).toBe(false);
  });

  it('need a p-table that suppresses a count the audit may show, and a whole number of keys', () => {
    expect(() => publishCell(3, 0, { threshold: 5, maxNoise: 2, ptable: { rows: CELL_KEY_PTABLE.rows }, zeroKeys: 32 })).toThrow(/zeroKeys/);
    expect(() => publishCell(3, 0, { ...policy, zeroKeys: 257 })).toThrow(/zeroKeys/);
    expect(() => publishCell(3, 0, { ...policy, zeroKeys: 1.5 })).toThrow(/zeroKeys/);
  });
});

describe('publishUnsuppressed and countRange', () => {
  it('shows a count suppressed on its key with the noise that key draws in the row without suppression', () => {
    const suppressed = KEYS.filter((key) => publishCell(6, key, policy) === null);
    expect(suppressed).toHaveLength(32);
    for (const key of suppressed) expect([5, 6, 7, 8]).toContain(publishUnsuppressed(6, key, policy));
    for (const key of KEYS) if (publishCell(9, key, policy) !== null) expect(publishUnsuppressed(9, key, policy)).toBe(publishCell(9, key, policy));
    expect(() => publishUnsuppressed(4, 0, policy)).toThrow(RangeError);
  });

  it('gives the true counts a published number may stand for: what the attacker knows of it', () => {
    expect(countRange(5, policy)).toEqual([5, 7]);
    expect(countRange(6, policy)).toEqual([6, 8]);
    expect(countRange(7, policy)).toEqual([6, 9]);
    expect(countRange(8, policy)).toEqual([6, 10]);
    expect(countRange(20, policy)).toEqual([18, 22]);
    expect(countRange(0, policy)).toEqual([0, 0]);
    expect(() => countRange(3, policy)).toThrow(RangeError);
  });
});

describe('compilePTable', () => {
  it('accepts the monitor’s p-table', () => {
    expect(compilePTable(CELL_KEY_PTABLE, 2)).toHaveLength(3);
  });

  it('refuses a p-table that breaks a promise', () => {
    // Biased: more keys up than down.
    expect(() => compilePTable({ rows: [{ 0: 256 }, { [-1]: 100, 0: 100, 1: 56 }] }, 2)).toThrow(/mean/);
    // Would show a count at the threshold as threshold - 1.
    expect(() => compilePTable({ rows: [{ [-1]: 128, 1: 128 }] }, 2)).toThrow(/below the threshold/);
    // Noise beyond the declared maximum.
    expect(() => compilePTable(CELL_KEY_PTABLE, 1)).toThrow(/beyond/);
    // Keys that do not add up to 256.
    expect(() => compilePTable({ rows: [{ 0: 255 }] }, 0)).toThrow(/keys/);
    expect(() => compilePTable({ rows: [] }, 2)).toThrow(/row/);
    // Suppressing keys that leave the published noise biased, more keys than a noise has, or the last row.
    expect(() => compilePTable({ ...CELL_KEY_PTABLE, suppressed: [{}, { [-1]: 32 }] }, 2)).toThrow(/mean/);
    expect(() => compilePTable({ ...CELL_KEY_PTABLE, suppressed: [{}, { 2: 27 }] }, 2)).toThrow(/suppressed keys/);
    expect(() => compilePTable({ ...CELL_KEY_PTABLE, suppressed: [{}, {}, { 0: 10 }] }, 2)).toThrow(/last row/);
  });
});
