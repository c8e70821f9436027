import { describe, expect, it } from 'vitest';
import { dayAfter, startOfDutchDay } from '#domain/kernel/index.js';

describe('startOfDutchDay', () => {
  it('is midnight in the Netherlands: 23:00 UTC the day before in winter, 22:00 in summer', () => {
    expect(startOfDutchDay('2026-01-15')).toBe('2026-01-14T23:00:00.000Z');
    expect(startOfDutchDay('2026-07-01')).toBe('2026-06-30T22:00:00.000Z');
  });

  it('is right on the days the clocks change, which change at night, never at midnight', () => {
    expect(startOfDutchDay('2026-03-29')).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDutchDay('2026-03-30')).toBe('2026-03-29T22:00:00.000Z');
    expect(startOfDutchDay('2026-10-25')).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDutchDay('2026-10-26')).toBe('2026-10-25T23:00:00.000Z');
  });
});

describe('dayAfter', () => {
  it('crosses months, years and a leap day', () => {
    expect(dayAfter('2026-01-31')).toBe('2026-02-01');
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });
});
