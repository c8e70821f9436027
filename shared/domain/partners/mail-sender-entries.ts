import * as z from 'zod/mini';
import { geography } from '#domain/kernel/index.js';
import { LEGAL_BASES } from '#domain/signal/index.js';
import { type SenderIdentity, senderEntryKey } from './mail-senders.js';
import type { MailSender } from './ports.js';
import { SOURCE_TYPES } from './source-types.js';

/** A mail sender as an operator registers it: mail from the address or domain counts under this partner. */
export const MailSenderRequestSchema = z
  .strictObject({
    address: z.optional(z.email({ error: 'Geen geldig e-mailadres.' })),
    domain: z.optional(z.string().check(z.regex(/^@?([a-z0-9-]+\.)+[a-z]{2,}$/i, { error: 'Geen geldig domein, bijvoorbeeld assen.nl.' }))),
    organisation: z.string().check(z.trim(), z.minLength(2), z.maxLength(200)),
    sourceType: z.enum(SOURCE_TYPES),
    region: z._default(z.enum(geography.regionCodes() as [string, ...string[]]), geography.defaultRegion),
    province: z.optional(z.enum(geography.provinceCodes() as [string, ...string[]])),
    legalBasis: z.optional(z.enum(LEGAL_BASES, { error: `Kies een grondslag: ${LEGAL_BASES.join(', ')}.` })),
  })
  .check(
    z.refine((r) => (r.address === undefined) !== (r.domain === undefined), { error: 'Geef een adres of een domein, niet allebei.' }),
    z.refine((r) => !r.province || geography.province(r.province)?.region === r.region, { error: 'De provincie ligt niet in deze regio.', path: ['province'] }),
  );
export type MailSenderRequest = z.input<typeof MailSenderRequestSchema>;

export interface MailSenderStore {
  put(entryKey: string, sender: MailSender): Promise<void>;
  remove(entryKey: string): Promise<boolean>;
}

const identityOf = (r: { address?: string | undefined; domain?: string | undefined }): SenderIdentity =>
  r.address ? { address: r.address } : { domain: r.domain! };

/** Registers a sender; an address is stored only as its hash, a domain as it is. */
export async function registerMailSender(store: MailSenderStore, request: MailSenderRequest) {
  const parsed = MailSenderRequestSchema.parse(request);
  const entryKey = senderEntryKey(identityOf(parsed));
  const sender: MailSender = { organisation: parsed.organisation, sourceType: parsed.sourceType, region: parsed.region };
  if (parsed.province) sender.province = parsed.province;
  if (parsed.legalBasis) sender.legalBasis = parsed.legalBasis;
  await store.put(entryKey, sender);
  return { entryKey, sender };
}

export async function removeMailSender(store: MailSenderStore, identity: SenderIdentity) {
  const entryKey = senderEntryKey(identity);
  return { entryKey, removed: await store.remove(entryKey) };
}
