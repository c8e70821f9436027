import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { holdsPhoneNumber, isValidBsn } from '#domain/kernel/index.js';

export const MAX_PURPOSE_LENGTH = 200;
const MIN_PURPOSE_LENGTH = 3;

const NO_PERSONAL_DATA = 'Noem in het doel geen persoonsgegevens: waarom u kijkt of handelt, niet over wie.';

/** Nine digits, perhaps grouped by dots, spaces or hyphens as people write a BSN, with no digit either side. */
const NINE_DIGITS = /(?<!\d)\d(?:[ .-]?\d){8}(?!\d)/g;
/** Something@something.tld, as loosely as people type one. */
const EMAIL = /[^\s@<>()[\]]+@[^\s@<>()[\]]+\.[^\s@<>()[\]]{2,}/;

/**
 * The personal data a purpose seems to hold, as the Dutch reason to refuse it; undefined when none is
 * recognised. Recognised: a nine-digit number that passes the elfproef (a BSN), an e-mail address, and a
 * telephone number (Dutch, or international with its + or 00), as the kernel's phone rules find them in running text.
 * A name or an address is not recognised: the API documentation asks for none, and this is the net under it.
 */
export function personalDataIn(purpose: string): string | undefined {
  for (const [digits] of purpose.matchAll(NINE_DIGITS)) {
    if (isValidBsn(digits.replace(/[ .-]/g, ''))) return `Het doel lijkt een BSN te bevatten. ${NO_PERSONAL_DATA}`;
  }
  if (EMAIL.test(purpose)) return `Het doel lijkt een e-mailadres te bevatten. ${NO_PERSONAL_DATA}`;
  if (holdsPhoneNumber(purpose)) return `Het doel lijkt een telefoonnummer te bevatten. ${NO_PERSONAL_DATA}`;
  return undefined;
}

/**
 * Why the caller looks or acts, in their own words: required, short, one line of plain text (no control
 * characters; no lone surrogates, which DynamoDB could not store as they are hashed), and without
 * recognisable personal data.
 */
export const PurposeSchema = z.string({ error: 'Geef het doel op: waarom deze inzage of handeling nodig is.' }).check(
  z.trim(),
  z.minLength(MIN_PURPOSE_LENGTH, { error: 'Geef het doel op: waarom deze inzage of handeling nodig is.' }),
  z.maxLength(MAX_PURPOSE_LENGTH, { error: `Het doel is hoogstens ${MAX_PURPOSE_LENGTH} tekens.` }),
  z.superRefine((purpose, ctx) => {
    // Cc: control characters, a line break included; Cs: a surrogate standing alone (a pair is one code point here).
    if (/[\p{Cc}\p{Cs}]/u.test(purpose)) {
      ctx.addIssue({ code: 'custom', message: 'Het doel is één regel gewone tekst, zonder stuurtekens.' });
      return;
    }
    const found = personalDataIn(purpose);
    if (found) ctx.addIssue({ code: 'custom', message: found });
  }),
);
