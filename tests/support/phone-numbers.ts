import { type CountryCode, parsePhoneNumberWithError } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';

/**
 * libphonenumber's own example mobile number of a country, written in the ways people write numbers:
 * E.164, grouped internationally, with the Dutch international prefix 00, with a trunk 0 in brackets,
 * and grouped nationally. Made with the full data (the default import), as the intake did before.
 */
export function writtenWays(country: string): string[] {
  const example = (examples as Record<string, string | undefined>)[country];
  if (!example) return [];
  const number = parsePhoneNumberWithError(example, country as CountryCode);
  const e164 = number.number;
  return [
    e164,
    number.formatInternational(),
    `00${e164.slice(1)}`,
    `00 ${number.formatInternational().slice(1)}`,
    `+${number.countryCallingCode} (0)${number.nationalNumber}`,
    `+${number.countryCallingCode}-${number.nationalNumber}`,
    number.formatNational(),
  ];
}

export const exampleCountries = Object.keys(examples);
