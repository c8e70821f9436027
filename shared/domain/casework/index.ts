/**
 * Casework, the weeg- en monitortafel's room: triage and enrichment of signals, the table's decisions and
 * follow-up, the audit log of every look at protected data, and erasure.
 */
export * from './audit/index.js';
export * from './erasure/index.js';
export * from './triage/index.js';
