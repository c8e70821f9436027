/**
 * The partition keys of the statistics table's bookkeeping items, said once for the aggregation store
 * that writes them and the counter reader and release store that read them.
 */

/** A signal's applied version and contribution. */
export const appliedPk = (signalId: string) => `applied#${signalId}`;

/** One item per region whose attributes are the markers of its uncounted signals, by signal id. */
export const uncountedPk = (region: string) => `uncounted#${region}`;

/**
 * One item per region: its change counter (ChangeCounter), which the release function reads. Its `writes`
 * goes up in every transaction that changes one of the region's counter items, whatever the scope (a
 * signal is counted in its region's item beside its province's and municipality's, in one transaction).
 */
export const changeCounterPk = (region: string) => `changes#${region}`;

/**
 * Every change to a counter item or a region's marker item adds one to this attribute: the same revision
 * of an item holds the same counts.
 */
export const REVISION_ATTRIBUTE = 'revision';
