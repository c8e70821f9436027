import { problem } from '#domain/kernel/index.js';
import type { HttpEvent } from './http.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A UUID from the path (`signalId`, `decisionId`), lower-cased, or undefined for anything that is no UUID
 * (the handler answers 404). API Gateway hands path parameters over decoded, so this may be any text (a '/',
 * a NUL, what a malformed %-encoding left): it is only tested against the pattern, never decoded again, so
 * it cannot throw.
 */
export function pathUuidOf(event: HttpEvent, name: 'signalId' | 'decisionId'): string | undefined {
  const id = event.pathParameters?.[name];
  return id && UUID.test(id) ? id.toLowerCase() : undefined;
}

/** The signal id from the path (see pathUuidOf). */
export const signalIdOf = (event: HttpEvent): string | undefined => pathUuidOf(event, 'signalId');

export const signalNotFound = () =>
  problem(404, 'not-found', 'Melding niet gevonden', 'Geen melding met dit id van uw organisatie, of nog niet verwerkt; probeer het zo opnieuw.');
