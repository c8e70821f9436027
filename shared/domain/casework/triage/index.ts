/** Triage at the regional table: the worklist, a signal's detail, enrichment, decisions, the free text on a stated purpose. */
export * from './area.js';
