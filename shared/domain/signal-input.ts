import { isValidPhoneNumber } from 'libphonenumber-js';
import * as z from 'zod';
import './dutch-messages.js';
import { isValidBsn, normaliseBsn } from './bsn.js';
import { isCalendarDate, todayInNetherlands } from './calendar.js';
import { provinceMismatch, SignalClassificationSchema } from './signal-classification.js';


import { EARLIEST_DATE, EXPLOITATION_FORMS, GENDERS, MAX_DESCRIPTION_LENGTH, SECTORS, SIGNAL_TYPES } from './classification.js';

export { EARLIEST_DATE, EXPLOITATION_FORMS, GENDERS, MAX_DESCRIPTION_LENGTH, SECTORS, SIGNAL_TYPES };
export { provinceMismatch };

const regionNames = new Intl.DisplayNames(['nl'], { type: 'region', fallback: 'code' });

const calendarDate = z
  .string()
  .refine(isCalendarDate, { error: 'Geen geldige datum; gebruik JJJJ-MM-DD.' })
  .meta({ format: 'date', example: '2023-03-14' });

const pastDate = calendarDate
  .refine((d) => d <= todayInNetherlands(), { error: 'De datum ligt in de toekomst.' });

export const SubjectInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  dateOfBirth: pastDate
    .refine((d) => d >= '1900-01-01', { error: 'Geboortedatum ligt voor 1900.' })
    .optional(),
  bsn: z
    .string()
    .transform(normaliseBsn)
    .refine(isValidBsn, { error: 'Dit BSN klopt niet (elfproef).' })
    .optional(),
  phone: z
    .string()
    .max(40)
    .refine((p) => isValidPhoneNumber(p, 'NL'), { error: 'Geen geldig telefoonnummer.' })
    .optional(),
  email: z.email({ error: 'Geen geldig e-mailadres.' }).max(254).optional(),
  gender: z.enum(GENDERS, { error: `Kies een geslacht: ${GENDERS.join(', ')}.` }).optional(),
  nationality: z
    .string()
    .refine((c) => /^[A-Z]{2}$/.test(c) && regionNames.of(c) !== c, {
      error: 'Gebruik een landcode volgens ISO 3166-1 alpha-2, bijvoorbeeld NL of RO.',
    })
    .optional(),
});

/** The fields of a signal, before the rules that tie them together. */
export const SignalFieldsSchema = z.strictObject({
  externalId: z.string().trim().min(1).max(100).optional(),
  observedAt: pastDate.refine((d) => d >= EARLIEST_DATE, { error: 'De datum ligt voor 2000.' }),
  ...SignalClassificationSchema.shape,
  subject: SubjectInputSchema.optional(),
  description: z.string().max(MAX_DESCRIPTION_LENGTH).optional(),
});

/** A signal as a partner or form submits it: the one source of validation, types and the OpenAPI document. */
export const SignalInputSchema = SignalFieldsSchema.superRefine((signal, ctx) => {
  const mismatch = provinceMismatch(signal.municipality, signal.province);
  if (mismatch) ctx.addIssue({ code: 'custom', path: ['province'], message: mismatch });
  if (signal.subject?.dateOfBirth && signal.subject.dateOfBirth > signal.observedAt) {
    ctx.addIssue({ code: 'custom', path: ['subject', 'dateOfBirth'], message: 'De geboortedatum ligt na de datum van het signaal.' });
  }
});

export type SignalInput = z.output<typeof SignalInputSchema>;
export type SubjectInput = z.output<typeof SubjectInputSchema>;
export type ExploitationForm = (typeof EXPLOITATION_FORMS)[number];
export type SignalType = (typeof SIGNAL_TYPES)[number];
