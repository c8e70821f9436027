import { describe, expect, it } from 'vitest';
import {
  type CellChange,
  changeBetween,
  DEFAULT_RELEASE_INTERVAL_MS,
  MIN_CHANGED_SIGNALS,
  nextRelease,
  releasableChange,
} from '#domain/statistics/disclosure/index.js';

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

describe('changeBetween and releasableChange', () => {
  const DESCRIBING = ['municipality', 'form', 'month'];
  const change = (dimension: string, value: string, before: number, after: number, keyMoved = false): CellChange => ({
    dimension,
    value,
    before: { count: before, keySum: before * 100 },
    after: { count: after, keySum: after * 100 + (keyMoved ? 1 : 0) },
  });

  it('counts the signals the figures move, not the events: a signal corrected five times is one', () => {
    // One signal moved from arbeid to seksueel (whatever happened in between): one left, one came.
    const moved = [change('form', 'arbeid', 4, 3), change('form', 'seksueel', 2, 3), change('municipality', 'GM0114', 6, 6)];
    expect(changeBetween(moved, DESCRIBING)).toEqual({ signals: 1, homogeneous: true });
    expect(releasableChange(changeBetween(moved, DESCRIBING))).toBe(false);
  });

  it('counts a count that stayed while its key sum moved as one signal in and one out', () => {
    expect(changeBetween([change('form', 'arbeid', 4, 4, true)], DESCRIBING).signals).toBe(1);
  });

  it('calls the change homogeneous when every signal that came shares one value of each describing dimension', () => {
    const oneCell = [
      change('municipality', 'GM0114', 10, 15),
      change('form', 'arbeid', 6, 11),
      change('month', '2023-04', 1, 6),
      change('sector', 'bouw', 0, 2),
      change('sector', 'horeca', 0, 3),
    ];
    // Two sectors, but sector is not one of the describing dimensions: every one is in Emmen × arbeid × April.
    expect(changeBetween(oneCell, DESCRIBING)).toEqual({ signals: 5, homogeneous: true });
    expect(releasableChange(changeBetween(oneCell, DESCRIBING))).toBe(false);
    const twoMonths = [...oneCell.slice(0, 2), change('month', '2023-04', 1, 5), change('month', '2023-05', 0, 1)];
    expect(changeBetween(twoMonths, DESCRIBING)).toEqual({ signals: 5, homogeneous: false });
    expect(releasableChange(changeBetween(twoMonths, DESCRIBING))).toBe(true);
  });

  it('needs five signals, and calls a change in which none came not homogeneous', () => {
    expect(releasableChange(changeBetween([change('form', 'arbeid', 0, 4), change('form', 'seksueel', 0, 0)], DESCRIBING))).toBe(false);
    expect(changeBetween([change('form', 'arbeid', 9, 4)], DESCRIBING)).toEqual({ signals: MIN_CHANGED_SIGNALS, homogeneous: false });
    expect(changeBetween([], DESCRIBING)).toEqual({ signals: 0, homogeneous: false });
  });
});
