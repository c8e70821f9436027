import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { personalDataIn } from '#domain/casework/audit/index.js';
import { SubjectInputSchema } from '#domain/signal/index.js';

const MAX_REASON_LENGTH = 120;
const MAX_REFERENCE_LENGTH = 50;

const NO_PERSONAL_DATA = 'Noem hier geen persoonsgegevens: waarom er gewist wordt, niet over wie.';

/** A line of plain text that holds no recognisable personal data: it goes into the audit log. */
const withoutPersonalData = z.superRefine((text: string, ctx) => {
  if (/[\p{Cc}\p{Cs}]/u.test(text)) {
    ctx.addIssue({ code: 'custom', message: 'Eén regel gewone tekst, zonder stuurtekens.' });
    return;
  }
  const found = personalDataIn(text);
  // personalDataIn speaks of a purpose ("Het doel lijkt een BSN te bevatten. …"): its first sentence, said of this text.
  if (found) ctx.addIssue({ code: 'custom', message: `${found.split('. ')[0]!.replace('Het doel', 'Dit')}. ${NO_PERSONAL_DATA}` });
});

/**
 * The person whose data are to be erased, by the identifiers a signal's subject has: the same fields and
 * the same validation as in POST /v1/signals, so that they are pseudonymised exactly as at intake. A name
 * alone, or a birth date alone, finds no one (too many people share one): it needs the other, or a BSN,
 * phone number or e-mail address.
 */
export const ErasurePersonSchema = z.pick(SubjectInputSchema, { bsn: true, name: true, dateOfBirth: true, phone: true, email: true }).check(
  z.superRefine((person, ctx) => {
    if (person.bsn || person.phone || person.email || (person.name && person.dateOfBirth)) return;
    const message = 'Geef een BSN, een telefoonnummer, een e-mailadres, of een naam met geboortedatum: een naam of geboortedatum alleen wijst niemand aan.';
    ctx.addIssue({ code: 'custom', path: person.name ? ['dateOfBirth'] : person.dateOfBirth ? ['name'] : [], message });
  }),
);
export type ErasurePerson = z.output<typeof ErasurePersonSchema>;

/** POST /v1/privacy/erasures: whose data, and why. The identifiers are pseudonymised on arrival and never kept. */
export const ErasureRequestSchema = z.strictObject({
  person: ErasurePersonSchema.check(
    z.meta({
      description:
        'De identificerende gegevens van de betrokkene, zoals bij het melden (subject): bsn, name met dateOfBirth, phone, email. Worden bij aankomst gepseudonimiseerd en nergens bewaard.',
    }),
  ),
  reason: z.optional(
    z
      .string()
      .check(
        z.trim(),
        z.minLength(3, { error: 'Geef een reden van minstens 3 tekens, of laat het veld weg.' }),
        z.maxLength(MAX_REASON_LENGTH, { error: `De reden is hoogstens ${MAX_REASON_LENGTH} tekens.` }),
        withoutPersonalData,
        z.meta({ description: 'Waarom er gewist wordt, zonder persoonsgegevens; komt in het auditlogboek.', example: 'Verzoek van betrokkene (AVG art. 17)' }),
      ),
  ),
  reference: z.optional(
    z.string().check(
      z.trim(),
      z.minLength(1),
      z.maxLength(MAX_REFERENCE_LENGTH, { error: `Het kenmerk is hoogstens ${MAX_REFERENCE_LENGTH} tekens.` }),
      z.regex(/^[A-Za-z0-9 ._/#-]+$/, { error: 'Een kenmerk bestaat uit letters (zonder accenten), cijfers, spaties en . _ / # -.' }),
      withoutPersonalData,
      z.meta({
        description: 'Het kenmerk van het verzoek in uw eigen administratie, zonder persoonsgegevens; komt in het auditlogboek.',
        example: 'AVG-2026-014',
      }),
    ),
  ),
});
export type ErasureRequest = z.output<typeof ErasureRequestSchema>;

/** The answer: how many signals, and which, for the privacy officer to confirm. Ids are no personal data. */
export const ErasureResultSchema = z.object({
  erased: z.int().check(z.minimum(0), z.meta({ description: 'Het aantal signalen waarvan de persoonsgegevens nu gewist zijn.' })),
  signalIds: z
    .array(z.string().check(z.meta({ format: 'uuid' })))
    .check(z.meta({ description: 'Die signalen, op id; een herhaling van het verzoek vindt er geen meer.' })),
  erasedAt: z.string().check(z.meta({ format: 'date-time', description: 'Wanneer (UTC).' })),
});
export type ErasureResult = z.infer<typeof ErasureResultSchema>;

/** The audit entry's purpose: the stated reason (or the usual one) and the request's reference. */
export function erasurePurpose(request: Pick<ErasureRequest, 'reason' | 'reference'>): string {
  const reason = request.reason ?? 'Verzoek tot wissing van betrokkene (AVG art. 17)';
  return request.reference ? `${reason}; kenmerk ${request.reference}` : reason;
}
