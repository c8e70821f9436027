import { type DescriptionReadPorts, readDescription, triageSignalNotFound } from '#domain/casework/index.js';
import { auditLog, dataKeyOpener, signalStore } from '../lib/dependencies.js';
import { refused, sealedReadHandler } from '../lib/sealed-read.js';
import { signalIdOf } from '../lib/signal-path.js';
import { triageDescriptionRoute as route } from '../routes.js';

/**
 * GET /v1/triage/signals/{signalId}/description?purpose=… (signals:triage): the free text, decrypted once
 * the read and its purpose are in the audit log. No purpose, or one with personal data: 422, nothing logged.
 * The text is in the answer only: never logged, never cached on the way.
 */
export const triageDescriptionHandler = (ports: DescriptionReadPorts) =>
  sealedReadHandler(route, (event, principal, purpose) => {
    const signalId = signalIdOf(event);
    return signalId ? readDescription(signalId, principal, purpose, ports) : refused(triageSignalNotFound());
  });

export const handler = triageDescriptionHandler({ signals: signalStore(), audit: auditLog(), dataKeys: dataKeyOpener() });
