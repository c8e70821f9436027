import { problem } from '#domain/kernel/index.js';
import type { HttpEvent } from './http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The signal id from the path, or undefined for anything that is no UUID (the handler answers 404). API
 * Gateway hands path parameters over decoded, so this may be any text (a '/', a NUL, what a malformed
 * %-encoding left): it is only tested against the pattern, never decoded again, so it cannot throw.
 */
export function signalIdOf(event: HttpEvent): string | undefined {
  const id = event.pathParameters?.signalId;
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}

export const signalNotFound = () =>
  problem(404, 'not-found', 'Melding niet gevonden', 'Geen melding met dit id van uw organisatie, of nog niet verwerkt; probeer het zo opnieuw.');
