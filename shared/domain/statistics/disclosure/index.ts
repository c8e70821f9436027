/**
 * Disclosure control for published figures: small cells suppressed, the rest perturbed by the cell key
 * method (so no suppressed count can be recovered by differencing), and releases spaced so that two of them
 * never differ by a single signal. Pure: no I/O. See docs/disclosure.md.
 */
export * from './ptable.js';
export * from './publish.js';
export * from './record-key.js';
export * from './release.js';
export * from './tables.js';
