import { describe, expect, it } from 'vitest';
import { COUNTRY_CODES, isCountryCode } from '#domain/kernel/index.js';

describe('COUNTRY_CODES', () => {
  it('holds the 249 officially assigned ISO 3166-1 alpha-2 codes, each one a place Intl can name', () => {
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
    expect(COUNTRY_CODES.size).toBe(249);
    for (const code of COUNTRY_CODES) {
      expect(code).toMatch(/^[A-Z]{2}$/);
      expect(names.of(code)).not.toBe(code);
    }
  });

  it('leaves out the reserved, exceptional and user-assigned codes Intl names too', () => {
    for (const code of ['EU', 'EZ', 'UN', 'UK', 'XK', 'QO', 'ZZ', 'AC', 'TA', 'IC', 'EA', 'DG', 'CP', 'SU', 'YU', 'AN'])
      expect(isCountryCode(code)).toBe(false);
  });
});
