/** A signal: its classification, what a partner sends, what is stored, what a partner may see and correct. */
export * from './classification.js';
export * from './classification-schema.js';
export * from './correction.js';
export * from './input.js';
export * from './minors.js';
export type * from './ports.js';
export * from './record.js';
export * from './source-type.js';
export * from './status-moves.js';
export * from './storing.js';
export * from './view.js';
