/** Statistics: how a signal is counted, the aggregator's exactly-once bookkeeping, and reading the counts (as JSON or CSV, with an ETag). */
export * from './aggregation.js';
export * from './counters.js';
export * from './csv.js';
export * from './etag.js';
export type * from './ports.js';
export * from './public-reading.js';
export * from './reading.js';
export * from './release.js';
