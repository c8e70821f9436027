import * as z from 'zod/mini';
import { EXPLOITATION_FORMS, SECTORS, SIGNAL_TYPES } from './classification.js';
import '#domain/kernel/dutch-messages.js';
import { geography, UNKNOWN } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';

/**
 * Where and what a signal is: the fields a partner files and may later correct. Apart from the person
 * and the text, so that correcting loads no phone-number validation.
 */
const municipalityCode = z.enum(geography.municipalityCodes().concat(UNKNOWN) as [string, ...string[]], {
  error: 'Onbekende gemeentecode; gebruik een CBS-code (GMxxxx) uit de regio of "onbekend".',
});

const exploitationForm = z.enum(EXPLOITATION_FORMS, {
  error: `Kies een vorm van uitbuiting: ${EXPLOITATION_FORMS.join(', ')}.`,
});

export const SignalClassificationSchema = z.strictObject({
  municipality: municipalityCode,
  province: z.optional(
    z.enum(geography.provinceCodes() as [string, ...string[]], {
      error: `Onbekende provincie; gebruik ${geography.provinceCodes().join(', ')}.`,
    }),
  ),
  exploitationMunicipality: z.optional(municipalityCode),
  form: exploitationForm,
  additionalForms: z.optional(z.array(exploitationForm).check(z.maxLength(EXPLOITATION_FORMS.length))),
  signalType: z._default(z.enum(SIGNAL_TYPES, { error: `Kies een soort: ${SIGNAL_TYPES.join(', ')}.` }), 'melding'),
  sector: z.optional(z.enum(SECTORS, { error: `Kies een sector: ${SECTORS.join(', ')}.` })),
});

/** Says why a province does not fit a known municipality; undefined when it fits or either is unknown. */
export function provinceMismatch(municipalityCode: string, province: string | undefined): string | undefined {
  const known = geography.municipality(municipalityCode);
  if (!known || !province || known.province === province) return undefined;
  return `Gemeente ${known.name} ligt in provincie ${known.province}, niet in ${province}.`;
}

/** Places the signal: a known municipality decides its province; an unknown one takes the given province. */
export function placeSignal(input: { municipality: string; province?: string | undefined }, principal: Pick<Principal, 'region'>) {
  const municipality = geography.municipality(input.municipality);
  if (municipality) return { municipality: municipality.code, province: municipality.province, region: municipality.region };
  const province = input.province ? geography.province(input.province) : undefined;
  return { municipality: UNKNOWN, province: province?.code ?? UNKNOWN, region: province?.region ?? principal.region };
}
