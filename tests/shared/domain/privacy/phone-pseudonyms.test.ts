import { isValidPhoneNumber, parsePhoneNumberWithError } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { PHONE_COUNTRIES } from '#domain/kernel/index.js';
import { pseudonym, pseudonymiseContact, pseudonymiseSubject } from '#domain/privacy/index.js';
import { testKey } from '../../../support/in-memory-ports.js';
import { exampleCountries, writtenWays } from '../../../support/phone-numbers.js';

/** The pseudonyms as the intake made them before it carried its own phone data: libphonenumber with all of it. */
const earlierSubjectPseudonym = (phone: string) => pseudonym(testKey, 'phone', parsePhoneNumberWithError(phone, 'NL').number);
const earlierReporterPseudonym = (phone: string) => pseudonym(testKey, 'reporter-phone', parsePhoneNumberWithError(phone, 'NL').number);

describe('phone pseudonyms across the change to carried phone data', () => {
  it.each([...PHONE_COUNTRIES])('gives a number of %s, however written, the pseudonym it had before', (country) => {
    const ways = writtenWays(country).filter((phone) => isValidPhoneNumber(phone, 'NL'));
    expect(ways.length, country).toBeGreaterThan(0);
    for (const phone of ways) {
      expect(pseudonymiseSubject({ phone }, '2024-01-01', testKey).pseudonyms.phone, phone).toBe(earlierSubjectPseudonym(phone));
      expect(pseudonymiseContact({ phone }, testKey).pseudonyms.phone, phone).toBe(earlierReporterPseudonym(phone));
    }
  });

  it('gives a number of any other country written internationally the pseudonym it had before', () => {
    const others = exampleCountries.filter((c) => !(PHONE_COUNTRIES as readonly string[]).includes(c));
    for (const country of others) {
      const [e164, international] = writtenWays(country);
      for (const phone of [e164!, international!]) {
        expect(pseudonymiseSubject({ phone }, '2024-01-01', testKey).pseudonyms.phone, `${country} ${phone}`).toBe(earlierSubjectPseudonym(phone));
      }
    }
  });

  it('gives a number of another country the same pseudonym however it is grouped', () => {
    const of = (phone: string) => pseudonymiseSubject({ phone }, '2024-01-01', testKey).pseudonyms.phone;
    expect(new Set(['+61 2 9374 4000', '0061 2 9374 4000', '+61-2-9374-4000', '+61293744000'].map(of)).size).toBe(1);
  });
});
