/**
 * Linking: recognising that a new signal concerns a person signalled before, by pseudonym only, across
 * channels, organisations and rotations of the pseudonymisation key.
 */
export * from './link-signal.js';
export * from './match-keys.js';
export * from './person-standing.js';
export type * from './ports.js';
export * from './repeat-info.js';
export * from './unlink.js';
