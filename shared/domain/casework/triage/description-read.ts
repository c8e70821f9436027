import * as z from 'zod/mini';
import { problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { readSealedText, type SealedReadPorts, sealedReadQuery } from './sealed-read.js';
import type { TriageReadResult } from './signal-read.js';

/** The query of GET …/description: the purpose is required, one line, without personal data (see PurposeSchema). */
export const DescriptionQuerySchema = sealedReadQuery('de vrije tekst');

export const TriageDescriptionSchema = z.object({
  signalId: z.string().check(z.meta({ format: 'uuid' })),
  description: z.string().check(z.meta({ description: 'De vrije tekst, ontsleuteld.' })),
});
export type TriageDescription = z.infer<typeof TriageDescriptionSchema>;

export type DescriptionReadPorts = SealedReadPorts;

/**
 * A signal without free text, or whose text was erased: a 404 of its own, before anything is logged (nothing
 * is read). Apart from an unknown signal by its detail, so that a page can say which it is.
 */
export const noDescription = () => problem(404, 'no-description', 'Geen vrije tekst', 'Deze melding heeft geen vrije tekst, of die is gewist.');

/**
 * GET /v1/triage/signals/{signalId}/description: the free text, decrypted for a key whose area holds the
 * signal, once the read with its purpose is in the audit log (description-read). If the log cannot take the
 * entry, nothing is decrypted.
 */
export async function readDescription(
  signalId: string,
  principal: Principal,
  purpose: string,
  ports: DescriptionReadPorts,
): Promise<TriageReadResult<TriageDescription>> {
  const read = await readSealedText(signalId, principal, { action: 'description-read', purpose }, ports, (signal) =>
    signal.description ? { sealed: signal.description } : { problem: noDescription() },
  );
  return read.ok ? { ok: true, value: { signalId: read.value.signalId, description: read.value.text } } : read;
}
