import type { LegalBasis } from '#domain/signal/index.js';

/** Who is calling: resolved from an API key (or, for mail, a sender entry) and never from a request body. */
export interface Principal {
  organisation: string;
  sourceType: string;
  /** The permissions the key holds (see PERMISSIONS). */
  scopes: string[];
  region: string;
  /** The area a triage key is bound to: one province of its region (absent: the whole region). */
  province?: string;
  /** The SHA-256 of the API key the request came with (never the key): how the audit log names a key. */
  keyHash?: string;
  /** The organisation's ground for sharing signals (AVG art. 6); absent for entries made before it was recorded. */
  legalBasis?: LegalBasis;
}

export interface ApiKeyStore {
  /** Looks a key up by the SHA-256 of its text; only the hash is ever stored. */
  findByHash(keyHash: string): Promise<Principal | undefined>;
}

/** Whom mail from an address or domain counts under: a partner entry beside the API keys. */
export interface MailSender {
  organisation: string;
  sourceType: string;
  region: string;
  /** Where a mail that names no municipality is counted. */
  province?: string;
  /** The organisation's ground for sharing signals, as for an API key. */
  legalBasis?: LegalBasis;
}

export interface MailSenderDirectory {
  /** Looks one entry up by its key (see `senderEntryKeys`). */
  get(entryKey: string): Promise<MailSender | undefined>;
}
