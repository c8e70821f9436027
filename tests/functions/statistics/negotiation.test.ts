import { describe, expect, it } from 'vitest';
import { isNotModified, preferredMediaType } from '../../../functions/statistics/negotiation.js';

const offered = ['application/json', 'text/csv'] as const;

describe('preferredMediaType', () => {
  it('gives the first offered without a header, for */* and on a tie', () => {
    expect(preferredMediaType(undefined, offered)).toBe('application/json');
    expect(preferredMediaType('', offered)).toBe('application/json');
    expect(preferredMediaType('*/*', offered)).toBe('application/json');
    expect(preferredMediaType('text/csv, application/json', offered)).toBe('application/json');
  });

  it('follows q, and the most specific range that matches', () => {
    expect(preferredMediaType('text/csv', offered)).toBe('text/csv');
    expect(preferredMediaType('application/json;q=0.4, text/csv;q=0.5', offered)).toBe('text/csv');
    expect(preferredMediaType('*/*;q=0.9, application/json;q=0.1', offered)).toBe('text/csv');
    expect(preferredMediaType('TEXT/CSV; charset=utf-8', offered)).toBe('text/csv');
    expect(preferredMediaType('text/*, text/csv;q=0', offered)).toBeUndefined();
  });

  it('accepts none when every range excludes or misses them', () => {
    expect(preferredMediaType('text/html', offered)).toBeUndefined();
    expect(preferredMediaType('application/json;q=0, text/csv;q=0.000', offered)).toBeUndefined();
    expect(preferredMediaType('application/problem+json', offered)).toBeUndefined();
  });

  it('leaves out ranges it does not understand', () => {
    expect(preferredMediaType('text/csv;q=2, application/json', offered)).toBe('application/json');
    expect(preferredMediaType('nonsense', offered)).toBe('application/json');
    expect(preferredMediaType('*/csv', offered)).toBe('application/json');
  });
});

describe('isNotModified', () => {
  const tag = '"abc"';
  it('matches the tag, weakly, in a list, and *', () => {
    expect(isNotModified('"abc"', tag)).toBe(true);
    expect(isNotModified('W/"abc"', tag)).toBe(true);
    expect(isNotModified('"x", "abc"', tag)).toBe(true);
    expect(isNotModified(' * ', tag)).toBe(true);
  });
  it('does not match another tag, an unquoted one, or none', () => {
    expect(isNotModified(undefined, tag)).toBe(false);
    expect(isNotModified('"abcd"', tag)).toBe(false);
    expect(isNotModified('abc', tag)).toBe(false);
    expect(isNotModified('', tag)).toBe(false);
  });
});
