/** The web channel: the public meldformulier, its schema, abuse limits and the reporter's receipt. */
export type * from './ports.js';
export * from './rate-limit.js';
export * from './take-in-web-signal.js';
export * from './web-signal.js';
