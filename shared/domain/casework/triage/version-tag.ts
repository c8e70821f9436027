import { type Problem, problem } from '#domain/kernel/index.js';

/** A signal's version as a strong entity tag: what ETag says, and what If-Match gives back. */
export const versionTag = (version: number): string => `"${version}"`;

/**
 * Whether a change made with this If-Match may go ahead on the signal at `version`: without the header, with
 * `*`, or when one of its tags is the version's. If-Match compares strongly, so a weak tag (W/"3") never
 * matches; neither does anything that is no tag.
 */
export function ifMatchHolds(ifMatch: string | undefined, version: number): boolean {
  if (ifMatch === undefined) return true;
  const tags = ifMatch.split(',').map((tag) => tag.trim());
  return tags.includes('*') || tags.includes(versionTag(version));
}

/** The 412 when the signal changed since the client read it. */
export const versionMoved = (version: number): Problem =>
  problem(
    412,
    'precondition-failed',
    'Melding intussen gewijzigd',
    `De melding is intussen gewijzigd (nu versie ${version}, ETag ${versionTag(version)}); lees haar opnieuw en beslis dan of de wijziging nog klopt.`,
  );
