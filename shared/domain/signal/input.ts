import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { isCalendarDate, isCountryCode, isPhoneNumber, isValidBsn, normaliseBsn, todayInNetherlands } from '#domain/kernel/index.js';
import { EARLIEST_DATE, type EXPLOITATION_FORMS, GENDERS, MAX_DESCRIPTION_LENGTH, type SIGNAL_TYPES } from './classification.js';
import { provinceMismatch, SignalClassificationSchema } from './classification-schema.js';
import { LEGAL_BASES, MINORS_ANSWERS } from './record.js';
import { SourceTypeSchema } from './source-type.js';

const calendarDate = z
  .string()
  .check(z.refine(isCalendarDate, { error: 'Geen geldige datum; gebruik JJJJ-MM-DD.' }), z.meta({ format: 'date', example: '2023-03-14' }));

const pastDate = calendarDate.check(z.refine((d) => d <= todayInNetherlands(), { error: 'De datum ligt in de toekomst.' }));

export const SubjectInputSchema = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  dateOfBirth: z.optional(pastDate.check(z.refine((d) => d >= '1900-01-01', { error: 'Geboortedatum ligt voor 1900.' }))),
  bsn: z.optional(z.pipe(z.string(), z.transform(normaliseBsn)).check(z.refine(isValidBsn, { error: 'Dit BSN klopt niet (elfproef).' }))),
  phone: z.optional(z.string().check(z.maxLength(40), z.refine(isPhoneNumber, { error: 'Geen geldig telefoonnummer.' }))),
  email: z.optional(z.email({ error: 'Geen geldig e-mailadres.' }).check(z.maxLength(254))),
  gender: z.optional(z.enum(GENDERS, { error: `Kies een geslacht: ${GENDERS.join(', ')}.` })),
  // An officially assigned code: a country or territory, not a region such as EU, UN or ZZ.
  nationality: z.optional(
    z
      .string()
      .check(
        z.refine(isCountryCode, { error: 'Gebruik een landcode volgens ISO 3166-1 alpha-2, bijvoorbeeld NL of RO; geen regio zoals EU.' }),
        z.meta({ pattern: '^[A-Z]{2}$', example: 'RO' }),
      ),
  ),
});

/** The fields of a signal, before the rules that tie them together. */
export const SignalFieldsSchema = z.strictObject({
  externalId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(100))),
  observedAt: pastDate.check(z.refine((d) => d >= EARLIEST_DATE, { error: 'De datum ligt voor 2000.' })),
  ...SignalClassificationSchema.shape,
  minorsSuspected: z.optional(
    z.enum(MINORS_ANSWERS, { error: `Kies ${MINORS_ANSWERS.join(', ')}.` }).check(
      z.meta({
        description:
          'Of er minderjarigen bij betrokken lijken, zoals de melder het zegt: ja, nee of weet-niet. Weggelaten: afgeleid uit de geboortedatum, als die er is.',
      }),
    ),
  ),
  subject: z.optional(SubjectInputSchema),
  description: z.optional(z.string().check(z.maxLength(MAX_DESCRIPTION_LENGTH))),
  sourceType: z.optional(
    SourceTypeSchema.check(
      z.meta({
        description:
          'Van wie het signaal komt (de cijfers tellen het onder dit brontype), zoals een regionaal register het per signaal vastlegt. Alleen met een sleutel met de scope signals:source; een andere sleutel krijgt 422 met pointer /sourceType. Weggelaten: het brontype van uw sleutel.',
      }),
    ),
  ),
  legalBasis: z.optional(
    z.enum(LEGAL_BASES, { error: `Kies een grondslag: ${LEGAL_BASES.join(', ')}.` }).check(
      z.meta({
        description:
          'De grondslag waarop uw organisatie dit signaal deelt (AVG art. 6): meldcode, wettelijke-taak, toestemming of gerechtvaardigd-belang. Weggelaten: de grondslag die bij uw sleutel is vastgelegd.',
      }),
    ),
  ),
});

/** The rules that tie a signal's fields together, for every schema built on its fields (a batch item too). */
export const signalRules = z.superRefine((signal: z.output<typeof SignalFieldsSchema>, ctx) => {
  const mismatch = provinceMismatch(signal.municipality, signal.province);
  if (mismatch) ctx.addIssue({ code: 'custom', path: ['province'], message: mismatch });
  if (signal.subject?.dateOfBirth && signal.subject.dateOfBirth > signal.observedAt) {
    ctx.addIssue({ code: 'custom', path: ['subject', 'dateOfBirth'], message: 'De geboortedatum ligt na de datum van het signaal.' });
  }
});

/** A signal as a partner or form submits it: the one source of validation, types and the OpenAPI document. */
export const SignalInputSchema = SignalFieldsSchema.check(signalRules);

export type SignalInput = z.output<typeof SignalInputSchema>;
export type SubjectInput = z.output<typeof SubjectInputSchema>;
export type ExploitationForm = (typeof EXPLOITATION_FORMS)[number];
export type SignalType = (typeof SIGNAL_TYPES)[number];
