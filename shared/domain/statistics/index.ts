/** Statistics: how a signal is counted, the aggregator's exactly-once bookkeeping, and reading the counts. */
export * from './aggregation.js';
export * from './counters.js';
export type * from './ports.js';
export * from './reading.js';
