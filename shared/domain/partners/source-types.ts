/**
 * The source types a partner entry counts its signals under. The list lives with the signal (a register may
 * state it per signal, see SignalFieldsSchema), so that the signal's schema needs nothing from partners.
 */
export { SOURCE_TYPES, type SourceType } from '#domain/signal/index.js';
