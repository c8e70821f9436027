import * as z from 'zod/mini';
import type { Problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { type DataKeyProvider, decryptText } from '#domain/privacy/index.js';
import type { EncryptedText, SignalStore, StoredSignal } from '#domain/signal/index.js';
import { type AuditLogStore, PurposeSchema } from '../audit/index.js';
import { auditedLook, type LookRecord, type TriageReadResult } from './signal-read.js';

/**
 * The query of a read of encrypted text (…/description, …/note): the purpose is required, one line,
 * without personal data (see PurposeSchema). `what` names the text for the OpenAPI document.
 */
export const sealedReadQuery = (what: string) =>
  z.strictObject({
    purpose: PurposeSchema.check(
      z.meta({
        example: 'Voorbereiding weegtafel 14 maart',
        description: `Waarom u ${what} leest; verplicht, zonder persoonsgegevens. Komt in het auditlogboek.`,
      }),
    ),
  });

export interface SealedReadPorts {
  signals: SignalStore;
  audit: AuditLogStore;
  dataKeys: DataKeyProvider;
  now?: () => Date;
}

/** Where a signal's encrypted text is, or the 404 for a text that is not there. */
export type SealedTextOf = (signal: StoredSignal) => { sealed: EncryptedText } | { problem: Problem };

/**
 * Reads one encrypted text of a signal in the key's area: finds it (`sealedIn`), logs the read with its
 * purpose, and decrypts only once the entry is in. A signal outside the area or a text that is not there
 * answers its 404 before anything is logged (nothing is read); a log that cannot take the entry, a 503
 * with nothing decrypted. The text is returned only: never logged here.
 */
export async function readSealedText(
  signalId: string,
  principal: Principal,
  look: LookRecord,
  ports: SealedReadPorts,
  sealedIn: SealedTextOf,
): Promise<TriageReadResult<{ signalId: string; text: string }>> {
  let sealed: EncryptedText | undefined;
  const looked = await auditedLook(signalId, principal, look, ports, (signal) => {
    const found = sealedIn(signal);
    if ('problem' in found) return found.problem;
    sealed = found.sealed;
    return undefined;
  });
  if (!looked.ok) return looked;
  return { ok: true, value: { signalId: looked.value.signalId, text: await decryptText(sealed!, ports.dataKeys) } };
}
