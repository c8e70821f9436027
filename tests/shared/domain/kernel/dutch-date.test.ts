import { describe, expect, it } from 'vitest';
import { parseDutchDate } from '#domain/kernel/index.js';

describe('parseDutchDate', () => {
  it.each([
    ['14-03-2023', '2023-03-14'],
    ['2023-03-14', '2023-03-14'],
    ['14 maart 2023', '2023-03-14'],
    ['14/3/2023', '2023-03-14'],
    ['14.03.2023', '2023-03-14'],
    ['di 14 mrt. 2023 10:15', '2023-03-14'],
    ['1 Januari 2024', '2024-01-01'],
    ['ongeveer 3 okt 2022', '2022-10-03'],
  ])('reads "%s" as %s', (text, expected) => {
    expect(parseDutchDate(text)).toBe(expected);
  });

  it.each(['30-02-2023', '14-03-23', 'maart 2023', 'gisteren', '14 brumaire 2023', ''])('finds no date in "%s"', (text) => {
    expect(parseDutchDate(text)).toBeUndefined();
  });
});
