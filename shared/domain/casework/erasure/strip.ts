import type { PseudonymisedSubject, StoredSignal } from '#domain/signal/index.js';

/** What of a signal is about a person, named as the answer to "what was removed". */
export const PERSONAL_FIELDS = ['subject-pseudonyms', 'match-keys', 'nationality', 'reporter', 'description', 'decision-notes', 'external-reference'] as const;
export type PersonalField = (typeof PERSONAL_FIELDS)[number];

/** The changes that strip a signal of its person, as SignalStore.update takes them, and what they remove. */
export interface StripPlan {
  changes: Partial<StoredSignal>;
  remove: (keyof StoredSignal)[];
  removed: PersonalField[];
}

/** The personal fields a signal still holds; none once it has been stripped. */
export function personalFieldsOf(signal: StoredSignal): PersonalField[] {
  const subject = signal.subject;
  const present: Record<PersonalField, boolean> = {
    'subject-pseudonyms': subject !== undefined && Object.values(subject.pseudonyms).some((value) => value !== undefined),
    'match-keys': (subject?.matchKeys?.length ?? 0) > 0,
    nationality: subject?.nationality !== undefined,
    reporter: signal.reporter !== undefined,
    description: signal.description !== undefined,
    'decision-notes': (signal.decisions ?? []).some((decision) => decision.note !== undefined),
    'external-reference': signal.externalRef !== undefined,
  };
  return PERSONAL_FIELDS.filter((field) => present[field]);
}

/**
 * The subject without who it is: the age band, minor flag and gender stay, because the counts are made of
 * them (contributionOf) and none of them points to one person. The key id stays so that the record keeps
 * its shape; with no pseudonym under it, it names nothing. Nationality goes: no count uses it, and beside the
 * municipality, the month, the age band and the gender it narrows a person down most.
 */
function anonymousSubject(subject: PseudonymisedSubject): PseudonymisedSubject {
  const kept: PseudonymisedSubject = { keyId: subject.keyId, pseudonyms: {} };
  if (subject.minor !== undefined) kept.minor = subject.minor;
  if (subject.ageBand !== undefined) kept.ageBand = subject.ageBand;
  if (subject.gender !== undefined) kept.gender = subject.gender;
  return kept;
}

/**
 * Strips a signal of its person, for an erasure and for the retention sweep alike. Removed:
 * - the subject's pseudonyms (BSN, name with birth date, name, phone, e-mail) and its match keys under
 *   earlier pseudonymisation keys, and its nationality;
 * - the reporter's contact pseudonyms (web form);
 * - the encrypted description and every decision's encrypted note, each as a whole: ciphertext, IV, tag
 *   and the wrapped data key that alone could open it (crypto-shredding: the data key is the text's own,
 *   so without its wrapped copy the text cannot be read again, not even with the envelope key);
 * - the partner's external reference (a pseudonym of its own case number, which points to the person);
 * - a whole-item expiry (`expiresAt`) of signals stored before the retention sweep: the classification
 *   stays, so that the counts can always be made again from the signals.
 * Kept: the classification, the status, the routes and dates of decisions, the legal basis, and `erasedAt`
 * and `changedAt` set to `at`. The counts do not change: contributionOf reads nothing that is removed.
 * Undefined when there is nothing personal left to remove.
 */
export function stripPersonalData(signal: StoredSignal, at: string): StripPlan | undefined {
  const removed = personalFieldsOf(signal);
  if (removed.length === 0) return undefined;
  const changes: Partial<StoredSignal> = { erasedAt: at, changedAt: at };
  if (signal.subject) changes.subject = anonymousSubject(signal.subject);
  if (removed.includes('decision-notes')) changes.decisions = (signal.decisions ?? []).map(({ note: _note, ...decision }) => decision);
  const remove: (keyof StoredSignal)[] = [];
  if (signal.reporter) remove.push('reporter');
  if (signal.description) remove.push('description');
  if (signal.externalRef) remove.push('externalRef');
  if (signal.expiresAt !== undefined) remove.push('expiresAt');
  return { changes, remove, removed };
}

/** The signal as it is once the plan is applied (without the version the store raises). */
export function applyStrip(signal: StoredSignal, plan: StripPlan): StoredSignal {
  const next: StoredSignal = { ...signal, ...plan.changes };
  for (const name of plan.remove) delete next[name];
  return next;
}
