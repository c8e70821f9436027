import { createHash } from 'node:crypto';

/** Only this hash of an API key (or of a sender's address) is ever stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
