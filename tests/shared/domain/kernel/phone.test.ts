import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import fc from 'fast-check';
import { findPhoneNumbersInText, isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { canonicalPhoneNumber, holdsPhoneNumber, isPhoneNumber, PHONE_COUNTRIES } from '#domain/kernel/index.js';
import { CALLING_CODES, PHONE_METADATA_JSON } from '../../../../shared/domain/kernel/data/phone-metadata.js';
import { exampleCountries, writtenWays } from '../../../support/phone-numbers.js';

const carried = JSON.parse(PHONE_METADATA_JSON) as { country_calling_codes: Record<string, string[]>; countries: Record<string, unknown> };
const carriedCountries = Object.keys(carried.countries);
const carriedCodes = Object.keys(carried.country_calling_codes);

/** What the intake did before: libphonenumber with its full data; undefined where it threw. */
const withFullData = (text: string) => {
  try {
    return parsePhoneNumberWithError(text, 'NL').number;
  } catch {
    return undefined;
  }
};
const withCarriedData = (text: string) => {
  try {
    return canonicalPhoneNumber(text);
  } catch {
    return undefined;
  }
};

describe('telephone numbers of the carried countries', () => {
  it('carries the plans of every listed country and of the countries sharing their calling codes, and no others', () => {
    for (const country of PHONE_COUNTRIES) expect(carriedCountries, country).toContain(country);
    for (const [code, members] of Object.entries(carried.country_calling_codes)) {
      expect(
        members.some((c) => (PHONE_COUNTRIES as readonly string[]).includes(c)),
        code,
      ).toBe(true);
    }
    expect(carriedCountries.length).toBeLessThan(100);
  });

  it.each(carriedCountries)('judges and writes the numbers of %s exactly as libphonenumber does with its full data', (country) => {
    const ways = writtenWays(country);
    for (const text of ways) {
      expect(isPhoneNumber(text), text).toBe(isValidPhoneNumber(text, 'NL'));
      expect(withCarriedData(text), text).toBe(withFullData(text));
    }
  });

  it('has an example number for nearly every carried country, so that the comparison above covers them', () => {
    expect(carriedCountries.filter((c) => writtenWays(c).length === 0).length).toBeLessThanOrEqual(3);
  });

  it('agrees with the full data on any digits behind a carried calling code, written nationally or internationally', () => {
    const written = fc
      .record({
        prefix: fc.constantFrom('+', '00', '+ ', ''),
        code: fc.constantFrom(...carriedCodes),
        trunk: fc.constantFrom('', '0', '(0)', '8'),
        digits: fc.stringMatching(/^[0-9]{3,13}$/),
        separator: fc.constantFrom('', ' ', '-', '.'),
      })
      .map(({ prefix, code, trunk, digits, separator }) =>
        // Written nationally: a Dutch number (a 0 more would make 00, the international prefix).
        prefix === '' ? `0${digits.replace(/^0+/, '1')}` : `${prefix}${code}${separator}${trunk}${digits.replace(/(\d{3})(?=\d)/g, `$1${separator}`)}`,
      );
    fc.assert(
      fc.property(written, (text) => {
        const valid = isValidPhoneNumber(text, 'NL');
        expect(isPhoneNumber(text), text).toBe(valid);
        // Only a valid number is pseudonymised, so only its canonical form has to stay the same.
        if (valid) expect(canonicalPhoneNumber(text), text).toBe(withFullData(text));
      }),
      { numRuns: 3_000 },
    );
  });

  it('finds in running text the numbers the full data finds', () => {
    for (const country of carriedCountries) {
      for (const text of writtenWays(country)) {
        const sentence = `teruggebeld op ${text} vanmiddag`;
        expect(holdsPhoneNumber(sentence), sentence).toBe(findPhoneNumbersInText(sentence, 'NL').length > 0);
      }
    }
  });
});

describe('telephone numbers of other countries', () => {
  const others = exampleCountries.filter((c) => !carriedCountries.includes(c));

  it('takes a number written internationally by its calling code alone, as + and its digits', () => {
    for (const text of ['+61 2 9374 4000', '+61 (2) 9374-4000', '0061 2 9374 4000', '+61.2.9374.4000', '+612 9374 4000']) {
      expect(isPhoneNumber(text), text).toBe(true);
      expect(canonicalPhoneNumber(text), text).toBe('+61293744000');
    }
  });

  it('keeps for every other country the canonical form the full data gave a number written internationally, so earlier pseudonyms still match', () => {
    expect(others.length).toBeGreaterThan(100);
    for (const country of others) {
      const [e164, international] = writtenWays(country);
      for (const text of [e164!, international!]) {
        expect(isPhoneNumber(text), `${country} ${text}`).toBe(true);
        expect(canonicalPhoneNumber(text), `${country} ${text}`).toBe(withFullData(text));
      }
    }
  });

  it('writes a trunk 0 after the calling code of another country as it was written, where the full data would drop it', () => {
    expect(canonicalPhoneNumber('+61 (0)2 9374 4000')).toBe('+610293744000');
    expect(withFullData('+61 (0)2 9374 4000')).toBe('+61293744000');
  });

  it('refuses what is no number anywhere: an unassigned calling code, too few digits, more than 15, or letters', () => {
    for (const text of ['+999 123 4567', '+61 123', '+61 2 9374 4000 1234 5', '+0 123 456 789', '+61 2 WORK 4000', '+', '00', '']) {
      expect(isPhoneNumber(text), text).toBe(false);
    }
  });

  it('finds a number of another country written internationally in running text, but not a case number', () => {
    expect(holdsPhoneNumber('gebeld met +61 2 9374 4000 over de zaak')).toBe(true);
    expect(holdsPhoneNumber('gebeld met 0061 2 9374 4000')).toBe(true);
    for (const text of ['zaak 2023-000123 opgevolgd', 'dossier 00123', 'overleg op 14-03-2023 om 10.00 uur']) expect(holdsPhoneNumber(text), text).toBe(false);
  });

  it('knows every calling code of the full data', () => {
    expect(CALLING_CODES.split(' ')).toEqual(expect.arrayContaining(['1', '31', '61', '800', '979', ...carriedCodes]));
  });
});

describe('the phone data in the bundles', () => {
  it('is read through #domain/kernel alone: no other source imports libphonenumber-js, so no bundle carries its full data', () => {
    const root = resolve(import.meta.dirname, '../../../..');
    const sources = ['shared', 'functions', 'web']
      .flatMap((dir) => readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => join(root, dir, f)))
      .filter((f) => f.endsWith('.ts'));
    const importing = sources.filter((f) => /from\s+['"]libphonenumber-js/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
    expect(importing).toEqual(['shared/domain/kernel/phone.ts']);
    expect(readFileSync(join(root, 'shared/domain/kernel/phone.ts'), 'utf8')).toMatch(/from 'libphonenumber-js\/core'/);
  });
});
