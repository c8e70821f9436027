// From whom a signal came, as the figures count it (bySourceType): the type its key was made with, unless
// the key holds signals:source (a regional register's, which records the source per signal) and the
// signal states one. The same rule at intake and when the filing partner corrects a signal.
import * as z from 'zod/mini';
import type { Problem } from '#domain/kernel/index.js';
import type { PERMISSIONS, Principal } from '#domain/partners/index.js';
import { SOURCE_TYPES } from './classification.js';

// A literal the compiler checks against the permission: a value import of partners would close a module
// cycle, for partners reads the signal's legal bases when it loads.
const STATES_SOURCE: (typeof PERMISSIONS)['signalsSource'] = 'signals:source';

/** Whom a signal counts under: the source type it states, when its key may state one (signals:source); else its key's. */
export function sourceTypeOf(input: { sourceType?: string | undefined }, principal: Principal): string {
  return input.sourceType !== undefined && principal.scopes.includes(STATES_SOURCE) ? input.sourceType : principal.sourceType;
}

/**
 * Why a signal, or a correction of one, may not be taken as it is: it states a source type, and its key may
 * not (only a key with signals:source says per signal from whom it came). Pointers are into the body.
 */
export function sourceTypeRefusal(input: { sourceType?: string | undefined }, principal: Principal): NonNullable<Problem['errors']> | undefined {
  if (input.sourceType === undefined || principal.scopes.includes(STATES_SOURCE)) return undefined;
  return [
    {
      pointer: '/sourceType',
      detail: `Deze sleutel mag de bron van een signaal niet opgeven: daarvoor is de scope ${STATES_SOURCE} nodig. Laat sourceType weg; het signaal telt dan onder het brontype van uw sleutel (${principal.sourceType}).`,
    },
  ];
}

/** A stated source type, on a new signal and in a correction alike. */
export const SourceTypeSchema = z.enum(SOURCE_TYPES, { error: `Kies een brontype: ${SOURCE_TYPES.join(', ')}.` });
