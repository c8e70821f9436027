/**
 * Disclosure control for published figures: small cells suppressed (1 to 4, and 5 or 6 on some cell keys:
 * "<7"), everything inside a suppressed total suppressed too, the rest perturbed by the cell key method (so
 * that differencing rarely recovers a suppressed count; docs/disclosure.md measures how rarely), and releases
 * spaced so that two of them never differ by a single signal. Pure: no I/O. See docs/disclosure.md.
 */
export * from './ptable.js';
export * from './publish.js';
export * from './record-key.js';
export * from './release.js';
export * from './tables.js';
