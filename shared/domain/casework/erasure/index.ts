/**
 * Erasure and retention: a person's request for erasure (AVG art. 17) carried out on every signal of theirs,
 * and the retention sweep that strips a signal of its person once its retention has passed. Both strip
 * alike (stripPersonalData), keep the classification and so the counts, and unlink the signal.
 */
export * from './erase-person.js';
export * from './erase-step.js';
export * from './pending.js';
export type * from './ports.js';
export * from './request.js';
export * from './retention.js';
export * from './strip.js';
export * from './sweep.js';
