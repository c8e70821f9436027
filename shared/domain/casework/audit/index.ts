/**
 * The audit log: every look at protected data (a signal, its free text) and every enrichment, decision and
 * erasure is an entry, chained by SHA-256 so that a changed, removed or reordered entry shows, appended
 * without ever forking, and readable by signal or period for the privacy officer.
 */
export * from './append.js';
export * from './entry.js';
export * from './hash.js';
export type * from './ports.js';
export * from './purpose.js';
export * from './query.js';
export * from './record.js';
export * from './verify.js';
