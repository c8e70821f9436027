import { createHmac } from 'node:crypto';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { ageOn, foldText } from '#domain/kernel/index.js';
import type { AGE_BANDS, PseudonymisedSubject, SignalRecord, SubjectInput } from '#domain/signal/index.js';
import type { PseudonymKey } from './ports.js';

/** Keyed HMAC-SHA256 of a normalised identifier; the label keeps equal values of different kinds apart. */
export function pseudonym(key: PseudonymKey, label: string, value: string): string {
  return createHmac('sha256', key.secret).update(`${label}\u0000${value}`).digest('hex');
}

export function normaliseName(name: string): string {
  return foldText(name);
}

export function normalisePhone(phone: string): string {
  return parsePhoneNumberWithError(phone, 'NL').number;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function ageBand(age: number): (typeof AGE_BANDS)[number] {
  if (age < 12) return '0-11';
  if (age < 18) return '12-17';
  if (age < 23) return '18-22';
  if (age < 30) return '23-29';
  if (age < 40) return '30-39';
  if (age < 50) return '40-49';
  if (age < 65) return '50-64';
  return '65+';
}

/**
 * Replaces the identifiers of the person concerned by pseudonyms and keeps only attributes that
 * identify no one. The birth date itself is dropped; its age at the observation date remains.
 */
export function pseudonymiseSubject(subject: SubjectInput, observedAt: string, key: PseudonymKey): PseudonymisedSubject {
  const pseudonyms: PseudonymisedSubject['pseudonyms'] = {};
  if (subject.bsn) pseudonyms.bsn = pseudonym(key, 'bsn', subject.bsn);
  if (subject.name && subject.dateOfBirth) {
    pseudonyms.nameDateOfBirth = pseudonym(key, 'name-dob', `${normaliseName(subject.name)}|${subject.dateOfBirth}`);
  } else if (subject.name) {
    pseudonyms.name = pseudonym(key, 'name', normaliseName(subject.name));
  }
  if (subject.phone) pseudonyms.phone = pseudonym(key, 'phone', normalisePhone(subject.phone));
  if (subject.email) pseudonyms.email = pseudonym(key, 'email', normaliseEmail(subject.email));

  const result: PseudonymisedSubject = { keyId: key.keyId, pseudonyms };
  if (subject.dateOfBirth) {
    const age = Math.max(0, ageOn(subject.dateOfBirth, observedAt));
    result.minor = age < 18;
    result.ageBand = ageBand(age);
  }
  if (subject.gender) result.gender = subject.gender;
  if (subject.nationality) result.nationality = subject.nationality;
  return result;
}

export interface ContactInput {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
}

/** A reporter's contact details as pseudonyms, under labels of their own so they never match a subject's. */
export function pseudonymiseContact(contact: ContactInput, key: PseudonymKey): NonNullable<SignalRecord['reporter']> {
  const pseudonyms: NonNullable<SignalRecord['reporter']>['pseudonyms'] = {};
  if (contact.name) pseudonyms.name = pseudonym(key, 'reporter-name', normaliseName(contact.name));
  if (contact.phone) pseudonyms.phone = pseudonym(key, 'reporter-phone', normalisePhone(contact.phone));
  if (contact.email) pseudonyms.email = pseudonym(key, 'reporter-email', normaliseEmail(contact.email));
  return { keyId: key.keyId, pseudonyms };
}
