import { decisionNotFound, readNote, type SealedReadPorts, triageSignalNotFound } from '#domain/casework/index.js';
import { auditLog, dataKeyOpener, signalStore } from '../lib/dependencies.js';
import { refused, sealedReadHandler } from '../lib/sealed-read.js';
import { pathUuidOf } from '../lib/signal-path.js';
import { triageNoteRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals/{signalId}/decisions/{decisionId}/note?purpose=… (signals:triage): the table's note
 * on one of its decisions, decrypted once the read, its purpose and the decision are in the audit log
 * (note-read). No purpose, or one with personal data: 422, nothing logged. The note is in the answer only.
 */
export const triageNoteHandler = (ports: SealedReadPorts) =>
  sealedReadHandler(route, (event, principal, purpose) => {
    const signalId = pathUuidOf(event, 'signalId');
    if (!signalId) return refused(triageSignalNotFound());
    const decisionId = pathUuidOf(event, 'decisionId');
    return decisionId ? readNote(signalId, decisionId, principal, purpose, ports) : refused(decisionNotFound());
  });

export const handler = triageNoteHandler({ signals: signalStore(), audit: auditLog(), dataKeys: dataKeyOpener() });
