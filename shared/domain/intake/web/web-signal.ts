import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { type Principal, SOURCE_TYPES } from '#domain/partners/index.js';
import {
  EXPLOITATION_FORMS,
  MINORS_ANSWERS,
  provinceMismatch,
  SignalFieldsSchema,
  type SignalInput,
  SignalInputSchema,
  SubjectInputSchema,
} from '#domain/signal/index.js';

export const REPORTER_TYPES = ['burger', 'professional'] as const;
/** What a professional may say they are; anyone can pick one, so it is recorded as unverified. */
export const ORGANISATION_TYPES = SOURCE_TYPES.filter((t) => t !== 'burger' && t !== 'onbekend') as [string, ...string[]];
export const WEB_DESCRIPTION = { min: 10, max: 5_000 } as const;
/** The honeypot: a field people do not see, so only a robot fills it in. */
export const HONEYPOT_FIELD = 'website';

const fields = SignalFieldsSchema.shape;
const subject = SubjectInputSchema.shape;

/**
 * The meldformulier's fields, built from the API's schema: the same rules for place, date, form and
 * contact details, checked in the browser, on a plain form post and on a fetch alike.
 */
export const WebSignalSchema = z
  .strictObject({
    reporterType: z.enum(REPORTER_TYPES, { error: 'Kies of u meldt als bewoner of als professional.' }),
    organisationType: z.optional(z.enum(ORGANISATION_TYPES, { error: 'Kies het soort organisatie waarvoor u werkt.' })),
    description: z
      .string({ error: 'Beschrijf wat u hebt gezien.' })
      .check(
        z.trim(),
        z.minLength(WEB_DESCRIPTION.min, { error: `Beschrijf in minstens ${WEB_DESCRIPTION.min} tekens wat u hebt gezien.` }),
        z.maxLength(WEB_DESCRIPTION.max, { error: `Gebruik hoogstens ${WEB_DESCRIPTION.max} tekens.` }),
      ),
    // The API's values, in words for a resident rather than for a partner's developer.
    municipality: z.enum(geography.municipalityCodes().concat(UNKNOWN) as [string, ...string[]], { error: 'Kies een gemeente, of "Weet ik niet".' }),
    province: fields.province,
    observedAt: fields.observedAt,
    form: z.enum(EXPLOITATION_FORMS, { error: 'Kies een vorm van uitbuiting, of "Weet ik niet".' }),
    minorsSuspected: z.enum(MINORS_ANSWERS, { error: 'Kies ja, nee of weet ik niet.' }),
    contactName: subject.name,
    contactPhone: subject.phone,
    contactEmail: subject.email,
  })
  .check(
    // Run even when other fields are wrong, so the reporter sees every problem at once.
    z.refine((form) => form.reporterType !== 'professional' || Boolean(form.organisationType), {
      path: ['organisationType'],
      error: 'Kies het soort organisatie waarvoor u werkt.',
      when: (payload) => typeof payload.value === 'object' && payload.value !== null,
    }),
    z.superRefine((form, ctx) => {
      const mismatch = provinceMismatch(form.municipality, form.province);
      if (mismatch) ctx.addIssue({ code: 'custom', path: ['province'], message: mismatch });
    }),
  );

export type WebSignal = z.output<typeof WebSignalSchema>;

/** The names the form has: its fields and the honeypot. */
const FORM_FIELDS: ReadonlySet<string> = new Set([...Object.keys(WebSignalSchema.shape), HONEYPOT_FIELD]);

/**
 * A report's fields as posted (form or JSON), for the schema to judge: a field of the form left empty
 * counts as not given; any other field is kept whatever it holds, so that an unknown or mistyped field is
 * named, not dropped. The object has no prototype, so `__proto__` is a field like any other.
 */
export function postedFields(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, value] of entries) {
    if (typeof value === 'string' && value.trim() === '' && FORM_FIELDS.has(name)) continue;
    fields[name] = value;
  }
  return fields;
}

/** A form's texts, from posted fields or the browser's FormData, to fill the form in with: what was left empty counts as not given. */
export function givenFormValues(entries: Iterable<[string, unknown]>): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const [name, value] of entries) if (typeof value === 'string' && value.trim() !== '') values[name] = value;
  return values;
}

/** What to say when a field the form asks for was left empty. */
const REQUIRED: Record<string, string> = {
  observedAt: 'Vul in wanneer het was; ongeveer is goed.',
  description: 'Beschrijf wat u hebt gezien.',
};

/** Parses a report as the form sends it, in the browser and on the server alike. */
export function parseWebSignal(values: Record<string, unknown>) {
  return WebSignalSchema.safeParse(values, {
    error: (issue) => (issue.input === undefined && issue.path?.[0] !== undefined ? REQUIRED[String(issue.path[0])] : undefined),
  });
}
export type WebSignalField = keyof WebSignal;

/** The signal a web report becomes: the API's input schema has the last word on it. */
export function webSignalInput(form: WebSignal): SignalInput {
  return SignalInputSchema.parse({
    observedAt: form.observedAt,
    municipality: form.municipality,
    ...(form.municipality === UNKNOWN && form.province && { province: form.province }),
    form: form.form,
    signalType: 'melding',
    description: form.description,
  });
}

/** Who reported: a resident is `burger`; a professional's own choice of organisation type is unverified. */
export function webPrincipal(form: WebSignal): Principal {
  return {
    organisation: 'meldformulier',
    sourceType: form.reporterType === 'burger' ? 'burger' : `web-onbevestigd:${form.organisationType}`,
    scopes: [],
    region: geography.defaultRegion,
  };
}

/** A reference a reporter can read out on the phone: from the signal's id, e.g. MR-3F2A-91C0. */
export function referenceOf(signalId: string): string {
  const hex = signalId.replace(/-/g, '').slice(0, 8).toUpperCase();
  return `MR-${hex.slice(0, 4)}-${hex.slice(4)}`;
}

/** The JSON answer to an accepted web report: the reference the reporter can quote. */
export const WebSignalAcceptedSchema = z.object({ reference: z.string().check(z.regex(/^MR-[0-9A-F]{4}-[0-9A-F]{4}$/)) });
