import { findPhoneNumbersInText, isValidPhoneNumber, type MetadataJson, parsePhoneNumberWithError } from 'libphonenumber-js/core';
import { CALLING_CODES, PHONE_METADATA_JSON } from './data/phone-metadata.js';

/**
 * Telephone numbers as the intake reads them: Dutch when written nationally, any country's when written
 * internationally (with + or 00). The countries of PHONE_COUNTRIES are judged by their numbering plans,
 * exactly as libphonenumber does with its full data, so that their canonical form (E.164), and with it a
 * pseudonym, is the one it always was. A number of another country is taken by its calling code alone:
 * a plausible length suffices, and its canonical form is + and its digits as written.
 */

let metadata: MetadataJson | undefined;
const phoneMetadata = () => (metadata ??= JSON.parse(PHONE_METADATA_JSON) as MetadataJson);

let callingCodes: ReadonlySet<string> | undefined;
function knownCallingCode(code: string): boolean {
  callingCodes ??= new Set(CALLING_CODES.split(' '));
  return callingCodes.has(code);
}

/** Digits grouped as people write them: spaces, dots, hyphens, slashes and brackets. */
const GROUPING = /[\s.\-/()]/g;
/** + or 00 (the Dutch international prefix), then a calling code and a national number: 15 digits at most (E.164). */
const INTERNATIONAL = /^(?:\+|00)([1-9]\d{0,14})$/;
/** The shortest national number that is a number somewhere (Niue, Saint Helena: four digits). */
const MIN_NATIONAL_DIGITS = 4;

/**
 * The canonical form of a number written internationally whose calling code has no plan here (+ and its
 * digits), or undefined: when it is not such a number, or its calling code is one the plans cover.
 */
function outsidePlans(text: string): string | undefined {
  const digits = INTERNATIONAL.exec(text.trim().replace(GROUPING, ''))?.[1];
  if (!digits) return undefined;
  // Calling codes are 1 to 3 digits long and none is the start of another, so the first that matches is it.
  const code = [1, 2, 3].map((n) => digits.slice(0, n)).find(knownCallingCode);
  if (!code || code in phoneMetadata().country_calling_codes) return undefined;
  return digits.length - code.length >= MIN_NATIONAL_DIGITS ? `+${digits}` : undefined;
}

/** Whether the text is a valid telephone number. */
export function isPhoneNumber(text: string): boolean {
  return isValidPhoneNumber(text, 'NL', phoneMetadata()) || outsidePlans(text) !== undefined;
}

/** A number isPhoneNumber accepted in E.164 (+31612345678), the same however it was written; throws where the text cannot be read as one. */
export function canonicalPhoneNumber(text: string): string {
  return outsidePlans(text) ?? parsePhoneNumberWithError(text, 'NL', phoneMetadata()).number;
}

/** International numbers in running text, with their + or 00, and perhaps grouped. */
const INTERNATIONAL_IN_TEXT = /(?:\+|(?<!\d)00)[1-9](?:[\s.\-/()]{0,2}\d){3,14}/g;

/** Whether running text holds a telephone number: a Dutch one, or any country's written internationally. */
export function holdsPhoneNumber(text: string): boolean {
  if (findPhoneNumbersInText(text, 'NL', phoneMetadata()).length > 0) return true;
  return [...text.matchAll(INTERNATIONAL_IN_TEXT)].some(([found]) => outsidePlans(found) !== undefined);
}
