/**
 * Disclosure control for published figures: small cells suppressed (1 to 4, and 5 or 6 on some cell keys:
 * "<7"), everything inside a suppressed total suppressed too, a 0 in a table suppressed on some keys, the rest
 * perturbed by the cell key method, every answer audited so that differencing recovers no suppressed count
 * (audit.ts), and releases spaced so that two of them never differ by fewer than five signals, nor by five
 * in one cell. Pure: no I/O. See docs/disclosure.md.
 */
export * from './audit.js';
export * from './ptable.js';
export * from './publish.js';
export * from './record-key.js';
export * from './release.js';
export * from './tables.js';
export * from './zero-key.js';
