import { describe, expect, it } from 'vitest';
import { DEFAULT_RELEASE_INTERVAL_MS, MIN_CHANGED_SIGNALS, nextRelease } from '#domain/statistics/disclosure/index.js';

const HOUR = 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
const previous = { releasedAt: at('2024-03-01T06:00:00Z'), signalsAtRelease: 40 };

describe('nextRelease', () => {
  it('waits a day and five changed signals by default', () => {
    expect(DEFAULT_RELEASE_INTERVAL_MS).toBe(24 * HOUR);
    expect(MIN_CHANGED_SIGNALS).toBe(5);
  });

  it('releases when the interval has passed and five signals changed, and then waits a whole interval', () => {
    expect(nextRelease(previous, at('2024-03-02T06:00:00Z'), 45, DEFAULT_RELEASE_INTERVAL_MS)).toEqual({
      release: true,
      nextPossibleAt: at('2024-03-03T06:00:00Z'),
    });
  });

  it('refuses before the interval has passed, however much changed', () => {
    expect(nextRelease(previous, at('2024-03-02T05:59:59Z'), 400, DEFAULT_RELEASE_INTERVAL_MS)).toEqual({
      release: false,
      nextPossibleAt: at('2024-03-02T06:00:00Z'),
    });
  });

  it('refuses with fewer than five changes, and may release as soon as the fifth comes', () => {
    expect(nextRelease(previous, at('2024-03-05T12:00:00Z'), 44, DEFAULT_RELEASE_INTERVAL_MS)).toEqual({
      release: false,
      nextPossibleAt: at('2024-03-05T12:00:00Z'),
    });
  });

  it('with an interval of 0 releases as soon as five signals changed', () => {
    expect(nextRelease(previous, at('2024-03-01T06:00:01Z'), 44, 0).release).toBe(false);
    expect(nextRelease(previous, at('2024-03-01T06:00:01Z'), 45, 0)).toEqual({ release: true, nextPossibleAt: at('2024-03-01T06:00:01Z') });
  });

  it('makes the first release only once five signals have been counted', () => {
    expect(nextRelease(undefined, at('2024-01-01T00:00:00Z'), 4, DEFAULT_RELEASE_INTERVAL_MS).release).toBe(false);
    expect(nextRelease(undefined, at('2024-01-01T00:00:00Z'), 5, DEFAULT_RELEASE_INTERVAL_MS)).toEqual({
      release: true,
      nextPossibleAt: at('2024-01-02T00:00:00Z'),
    });
  });

  it('refuses a change counter that went back and an interval below 0', () => {
    expect(() => nextRelease(previous, at('2024-03-05T00:00:00Z'), 39, DEFAULT_RELEASE_INTERVAL_MS)).toThrow(RangeError);
    expect(() => nextRelease(previous, at('2024-03-05T00:00:00Z'), 50, -1)).toThrow(RangeError);
  });
});
