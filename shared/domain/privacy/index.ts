/** Privacy by construction: keyed pseudonyms for a person's identifiers, envelope encryption for free text. */
export * from './envelope.js';
export type * from './ports.js';
export * from './pseudonymise.js';
