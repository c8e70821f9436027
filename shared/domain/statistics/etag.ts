import { createHash } from 'node:crypto';
import type { Statistics } from './reading.js';

/**
 * A strong entity tag for one representation of the figures: a hash of what it says, with the media type,
 * so that JSON and CSV of the same figures differ. It changes exactly when a count in it (or the query it
 * answers) changes: the moments an answer was made and last changed are not hashed, so polling the same
 * figures keeps the same tag.
 */
export function entityTag(mediaType: string, content: string): string {
  return `"${createHash('sha256').update(mediaType).update('\n').update(content).digest('base64url').slice(0, 32)}"`;
}

/** The tag of the JSON answer: its figures, the query they answer and their warnings; not generatedAt or updatedAt. */
export function statisticsEtag(statistics: Statistics): string {
  const { generatedAt: _made, updatedAt: _changed, ...figures } = statistics;
  return entityTag('application/json', JSON.stringify(figures));
}
