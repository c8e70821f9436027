import * as z from 'zod/mini';
import { problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { readSealedText, type SealedReadPorts, sealedReadQuery } from './sealed-read.js';
import type { TriageReadResult } from './signal-read.js';

/** The query of GET …/decisions/{decisionId}/note: the purpose is required, as for the free text. */
export const NoteQuerySchema = sealedReadQuery('de notitie bij dit besluit');

export const TriageNoteSchema = z.object({
  signalId: z.string().check(z.meta({ format: 'uuid' })),
  decisionId: z.string().check(z.meta({ format: 'uuid' })),
  note: z.string().check(z.meta({ description: 'De notitie van de tafel bij dit besluit, ontsleuteld.' })),
});
export type TriageNote = z.infer<typeof TriageNoteSchema>;

/** The signal (in the key's area) has no decision with this id. */
export const decisionNotFound = () => problem(404, 'decision-not-found', 'Besluit niet gevonden', 'Deze melding heeft geen besluit met dit id.');

/** A decision without a note, or whose note was erased: nothing to read, so nothing is logged. */
export const noNote = () => problem(404, 'no-note', 'Geen notitie', 'Bij dit besluit is geen notitie vastgelegd, of die is gewist.');

/**
 * GET /v1/triage/signals/{signalId}/decisions/{decisionId}/note: the table's note on one of its decisions,
 * decrypted for a key whose area holds the signal, once the read with its purpose and the decision is in the
 * audit log (note-read). As the free text: no entry, nothing decrypted.
 */
export async function readNote(
  signalId: string,
  decisionId: string,
  principal: Principal,
  purpose: string,
  ports: SealedReadPorts,
): Promise<TriageReadResult<TriageNote>> {
  const read = await readSealedText(signalId, principal, { action: 'note-read', purpose, decisionId }, ports, (signal) => {
    const decision = signal.decisions?.find((d) => d.decisionId === decisionId);
    if (!decision) return { problem: decisionNotFound() };
    return decision.note ? { sealed: decision.note } : { problem: noNote() };
  });
  return read.ok ? { ok: true, value: { signalId: read.value.signalId, decisionId, note: read.value.text } } : read;
}
