/** Triage at the regional table: the worklist, a signal's detail, enrichment, decisions, the free text and notes on a stated purpose. */
export * from './area.js';
export * from './audited-change.js';
export * from './decision.js';
export * from './description-read.js';
export * from './enrichment.js';
export * from './note-read.js';
export type * from './ports.js';
export * from './sealed-read.js';
export * from './signal-read.js';
export * from './status-transitions.js';
export * from './triage-view.js';
export * from './version-tag.js';
export * from './worklist.js';
export * from './worklist-query.js';
export * from './worklist-row.js';
export type * from './write-ports.js';
