import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PHONE_METADATA_FILE, phoneMetadataModule, phoneMetadataSubset } from '../../infra/phone-metadata.js';

describe('npm run phone-metadata', () => {
  it('made the committed phone data from the installed libphonenumber-js (after an upgrade: npm run phone-metadata)', () => {
    expect(readFileSync(PHONE_METADATA_FILE, 'utf8')).toBe(phoneMetadataModule());
  });

  it('keeps a calling code whole: a listed country brings the countries that share its code', () => {
    const full = {
      version: 4,
      country_calling_codes: { '44': ['GB', 'GG'], '31': ['NL'], '61': ['AU'] },
      countries: { GB: ['44'], GG: ['44'], NL: ['31'], AU: ['61'] },
    } as never;
    const subset = phoneMetadataSubset(full, ['NL', 'GB']);
    expect(subset.country_calling_codes).toEqual({ '44': ['GB', 'GG'], '31': ['NL'] });
    expect(Object.keys(subset.countries).sort()).toEqual(['GB', 'GG', 'NL']);
  });

  it('refuses a country libphonenumber has no plan for, rather than leave it out unnoticed', () => {
    expect(() => phoneMetadataSubset({ version: 4, country_calling_codes: {}, countries: {} } as never, ['QQ'])).toThrow(/QQ/);
  });
});
