/** Partners: who may send or read (API keys, mail senders), under which organisation and source type. */
export * from './api-key-hash.js';
export * from './mail-sender-entries.js';
export * from './mail-senders.js';
export * from './partner-keys.js';
export * from './permissions.js';
export type * from './ports.js';
export * from './source-types.js';
