import { MATCH_KINDS, type MatchKey, type SignalRecord } from '#domain/signal/index.js';

/** Where a match key is in the index: `key#<keyId>#<kind>#<pseudonym>`. A pseudonym, never a plain value. */
export const indexKeyOf = (matchKey: MatchKey) => `key#${matchKey.keyId}#${matchKey.kind}#${matchKey.pseudonym}`;

/**
 * Everything a signal's person is recognised by: the subject's pseudonyms under the key that made them
 * (a name alone is not one: too many people share a name) and the match keys made under the previous keys
 * at intake. A reporter's own contact details are never among them: they are someone else's.
 */
export function matchKeysOf(record: SignalRecord): MatchKey[] {
  const subject = record.subject;
  if (!subject) return [];
  const current = MATCH_KINDS.flatMap((kind) => {
    const pseudonym = subject.pseudonyms[kind];
    return pseudonym ? [{ keyId: subject.keyId, kind, pseudonym }] : [];
  });
  const unique = new Map([...current, ...(subject.matchKeys ?? [])].map((matchKey) => [indexKeyOf(matchKey), matchKey]));
  return [...unique.values()];
}
