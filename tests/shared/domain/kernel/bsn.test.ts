import { describe, expect, it } from 'vitest';
import { isValidBsn, normaliseBsn } from '#domain/kernel/index.js';

describe('isValidBsn', () => {
  it('accepts numbers that pass the elfproef', () => {
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('123456782')).toBe(true);
  });

  it('accepts an eight-digit number as if it had a leading zero', () => {
    expect(isValidBsn('12345674')).toBe(isValidBsn('012345674'));
  });

  it('refuses numbers that fail the elfproef', () => {
    expect(isValidBsn('123456789')).toBe(false);
    expect(isValidBsn('111222334')).toBe(false);
  });

  it('refuses all zeros, wrong lengths and non-digits', () => {
    expect(isValidBsn('000000000')).toBe(false);
    expect(isValidBsn('1234567')).toBe(false);
    expect(isValidBsn('1234567890')).toBe(false);
    expect(isValidBsn('12345678a')).toBe(false);
  });

  it('reads a number written with dots or spaces as its digits', () => {
    expect(normaliseBsn('1112.22.333')).toBe('111222333');
    expect(normaliseBsn('111 222 333')).toBe('111222333');
  });
});
