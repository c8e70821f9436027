import type { PseudonymisedSubject, StoredSignal } from '#domain/signal/index.js';

/**
 * The top-level fields of a stored signal that the worklist reads from its index, beside the keys (signalId,
 * region, receivedAt): classification, status and the table's casework. Never `subject` or `reporter`
 * (pseudonyms, match keys), `externalRef` (a pseudonym), `description` or `decisions` (encrypted text): the
 * index projects exactly these (infra/resources.ts), so that it holds no copy of anything personal.
 */
export const WORKLIST_INDEX_FIELDS = [
  'observedAt',
  'status',
  'channel',
  'sourceType',
  'organisation',
  'signalType',
  'form',
  'additionalForms',
  'municipality',
  'province',
  'exploitationMunicipality',
  'sector',
  'minorsSuspected',
  'legalBasis',
  'routes',
  'reviewOn',
] as const satisfies readonly (keyof StoredSignal)[];

/** What the table may know of a signal's person: an age band and a gender, read apart from the pseudonyms beside them. */
export type SubjectFacts = Pick<PseudonymisedSubject, 'ageBand' | 'gender'>;

/** One signal as the worklist index holds it, with the facts of its person added when known. */
export type WorklistRow = Pick<StoredSignal, 'signalId' | 'region' | 'receivedAt' | (typeof WORKLIST_INDEX_FIELDS)[number]> & { subject?: SubjectFacts };
