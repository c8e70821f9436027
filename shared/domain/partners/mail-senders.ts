import { createHash } from 'node:crypto';
import type { MailSender, MailSenderDirectory } from './ports.js';

/**
 * Partner entries for mail senders. A domain names an organisation and is kept as it is; an address
 * names a person, so only its SHA-256 is kept, as with API keys.
 */
export type SenderIdentity = { address: string } | { domain: string };

const normalise = (value: string) => value.trim().toLowerCase();

export function senderEntryKey(identity: SenderIdentity): string {
  if ('address' in identity) return `address#${createHash('sha256').update(normalise(identity.address)).digest('hex')}`;
  return `domain#${normalise(identity.domain).replace(/^@/, '')}`;
}

/** The entries that may cover an address, most specific first: the address, its domain, its parent domains. */
export function senderEntryKeys(address: string): string[] {
  const domain = normalise(address).split('@')[1] ?? '';
  const labels = domain.split('.').filter(Boolean);
  const domains = labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
  return [senderEntryKey({ address }), ...domains.map((d) => senderEntryKey({ domain: d }))];
}

export async function findSender(directory: MailSenderDirectory, address: string | undefined): Promise<MailSender | undefined> {
  if (!address) return undefined;
  for (const key of senderEntryKeys(address)) {
    const sender = await directory.get(key);
    if (sender) return sender;
  }
  return undefined;
}
