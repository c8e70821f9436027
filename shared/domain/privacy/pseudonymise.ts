import { createHmac } from 'node:crypto';
import { ageOn, canonicalPhoneNumber, foldText } from '#domain/kernel/index.js';
import { type AGE_BANDS, MATCH_KINDS, type MatchKey, type PseudonymisedSubject, type SignalRecord, type SubjectInput } from '#domain/signal/index.js';
import type { PseudonymKey } from './ports.js';

/** Keyed HMAC-SHA256 of a normalised identifier; the label keeps equal values of different kinds apart. */
export function pseudonym(key: PseudonymKey, label: string, value: string): string {
  return createHmac('sha256', key.secret).update(`${label}\u0000${value}`).digest('hex');
}

export function normaliseName(name: string): string {
  return foldText(name);
}

export function normalisePhone(phone: string): string {
  return canonicalPhoneNumber(phone);
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
  const pseudonyms = subjectPseudonyms(subject, key);
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

/** The subject's identifiers as pseudonyms under one key; the stored pseudonyms and the match keys are made alike. */
function subjectPseudonyms(subject: SubjectInput, key: PseudonymKey): PseudonymisedSubject['pseudonyms'] {
  const pseudonyms: PseudonymisedSubject['pseudonyms'] = {};
  if (subject.bsn) pseudonyms.bsn = pseudonym(key, 'bsn', subject.bsn);
  if (subject.name && subject.dateOfBirth) {
    pseudonyms.nameDateOfBirth = pseudonym(key, 'name-dob', `${normaliseName(subject.name)}|${subject.dateOfBirth}`);
  } else if (subject.name) {
    pseudonyms.name = pseudonym(key, 'name', normaliseName(subject.name));
  }
  if (subject.phone) pseudonyms.phone = pseudonym(key, 'phone', normalisePhone(subject.phone));
  if (subject.email) pseudonyms.email = pseudonym(key, 'email', normaliseEmail(subject.email));
  return pseudonyms;
}

/**
 * The subject's match keys under each of `keys` (the previous, rotated-out keys): the pseudonyms the
 * subject had had under them, for the linkable kinds only (no name alone). Made at intake because a
 * pseudonym cannot be re-keyed afterwards: the HMAC is one-way and the plain value is gone.
 */
export function subjectMatchKeys(subject: SubjectInput, keys: readonly PseudonymKey[]): MatchKey[] {
  return keys.flatMap((key) => {
    const pseudonyms = subjectPseudonyms(subject, key);
    return MATCH_KINDS.flatMap((kind) => {
      const value = pseudonyms[kind];
      return value ? [{ keyId: key.keyId, kind, pseudonym: value }] : [];
    });
  });
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
