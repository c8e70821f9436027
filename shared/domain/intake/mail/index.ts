/** The e-mail channel: a message to the meldpunt, read by its template, becomes a signal. */
export * from './mail-signal.js';
export * from './message.js';
export type * from './ports.js';
export * from './take-in-mail.js';
export * from './template.js';
