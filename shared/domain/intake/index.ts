/** Intake: accepting a signal exactly once from any channel; the channels' own rules are in mail/ and web/. */
export * from './accept-batch.js';
export * from './accept-signal.js';
export * from './accepted.js';
export * from './batch-schema.js';
export * from './dutch-words.js';
export type * from './ports.js';
