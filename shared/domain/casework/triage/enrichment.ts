import * as z from 'zod/mini';
import '#domain/kernel/dutch-messages.js';
import { type Problem, problem } from '#domain/kernel/index.js';
import type { Principal } from '#domain/partners/index.js';
import { ClassificationChangeShape, correctSignal, SIGNAL_STATUSES, type SignalView, type StoredSignal, signalView } from '#domain/signal/index.js';
import { inArea } from './area.js';
import { type ChangePlan, type ChangeResult, changeAudited } from './audited-change.js';
import { canMove, moveProblem } from './status-transitions.js';
import type { TriageWritePorts } from './write-ports.js';

/**
 * What the table may fill in or change: the classification, as a partner may correct it, and the status
 * (the moves in status-transitions.ts). Not the person or the text. At least one field.
 */
export const TriageEnrichmentSchema = z
  .partial(
    z.strictObject({
      ...ClassificationChangeShape,
      status: z.enum(SIGNAL_STATUSES, { error: `Kies een status: ${SIGNAL_STATUSES.join(', ')}.` }),
    }),
  )
  .check(z.refine((e) => Object.keys(e).length > 0, { error: 'Geef minstens één veld om te verrijken.' }));
export type TriageEnrichment = z.output<typeof TriageEnrichmentSchema>;

/** The fields an enrichment can change, in the order the audit entry names them. */
export const ENRICHABLE = ['municipality', 'province', 'exploitationMunicipality', 'form', 'additionalForms', 'signalType', 'sector', 'status'] as const;
export type EnrichableField = (typeof ENRICHABLE)[number];

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

const invalid = (field: string, message: string): Problem =>
  problem(422, 'validation', 'Ongeldige invoer', message, [{ pointer: `/${field}`, detail: message }]);

export type EnrichmentPlan =
  | { outcome: 'refused'; problem: Problem }
  | { outcome: 'unchanged' }
  | { outcome: 'change'; changes: Partial<StoredSignal>; remove: (keyof StoredSignal)[]; fields: string[] };

/**
 * What an enrichment changes on the signal as it stands: the classification placed as a correction places
 * it (a known municipality decides the province), the status if the move is allowed (409 otherwise), and
 * only what differs from now. The signal must stay in the key's area: a province's key cannot move it to
 * another province (a region's key can).
 */
export function planEnrichment(signal: StoredSignal, enrichment: TriageEnrichment, principal: Principal): EnrichmentPlan {
  const { status, ...classification } = enrichment;
  if (status !== undefined && !canMove(signal.status, status)) return { outcome: 'refused', problem: moveProblem(signal.status, status) };
  const corrected = correctSignal(signal, classification, principal);
  if ('field' in corrected) return { outcome: 'refused', problem: invalid(corrected.field, corrected.message) };
  const proposed: Partial<StoredSignal> = { ...corrected.changes, ...(status !== undefined && { status }) };
  if (!inArea({ region: proposed.region ?? signal.region, province: proposed.province ?? signal.province }, principal)) {
    const field = enrichment.municipality !== undefined ? 'municipality' : 'province';
    return {
      outcome: 'refused',
      problem: invalid(
        field,
        `De melding zou zo buiten het gebied van uw sleutel (${principal.province ?? principal.region}) komen; dat kan een sleutel voor de hele regio.`,
      ),
    };
  }
  // A form named twice is one form; an empty list clears them.
  if (proposed.additionalForms) proposed.additionalForms = [...new Set(proposed.additionalForms)];
  const remove: (keyof StoredSignal)[] = [];
  if (proposed.additionalForms?.length === 0) {
    delete proposed.additionalForms;
    if (signal.additionalForms !== undefined) remove.push('additionalForms');
  }
  const changes = Object.fromEntries(
    Object.entries(proposed).filter(([name, value]) => !same(value, signal[name as keyof StoredSignal])),
  ) as Partial<StoredSignal>;
  const fields = ENRICHABLE.filter((name) => name in changes || remove.includes(name));
  if (fields.length === 0) return { outcome: 'unchanged' };
  // region moves with the province, and is no field of its own for the table.
  return { outcome: 'change', changes, remove, fields };
}

/** The audit entry's purpose: that it was an enrichment, and which fields; never their values. */
export const enrichmentPurpose = (fields: readonly string[]) => `${ENRICHMENT_PREFIX}${fields.join(', ')}`;
const ENRICHMENT_PREFIX = 'verrijking: ';

/** The fields an enrichment's entry names, read back from its purpose, for the history: which fields, never a value. */
export function enrichedFieldsOf(purpose: string): EnrichableField[] {
  if (!purpose.startsWith(ENRICHMENT_PREFIX)) return [];
  const named = new Set(purpose.slice(ENRICHMENT_PREFIX.length).split(', '));
  return ENRICHABLE.filter((field) => named.has(field));
}

/**
 * PATCH /v1/triage/signals/{signalId}: enriches a signal in the key's area, with its audit entry. Answers
 * the signal as it is afterwards (as a partner sees it; the triage view has the rest). A request that
 * changes nothing writes nothing, and no entry.
 */
export function enrichSignal(
  signalId: string,
  enrichment: TriageEnrichment,
  principal: Principal,
  ifMatch: string | undefined,
  ports: TriageWritePorts,
): Promise<ChangeResult<SignalView>> {
  return changeAudited<SignalView>(signalId, principal, ifMatch, ports, async (signal): Promise<ChangePlan<SignalView>> => {
    const planned = planEnrichment(signal, enrichment, principal);
    if (planned.outcome === 'refused') return planned;
    if (planned.outcome === 'unchanged') return { outcome: 'unchanged', result: signalView(signal) };
    const after: StoredSignal = { ...signal, ...planned.changes, version: signal.version + 1 };
    for (const name of planned.remove) delete after[name];
    return {
      outcome: 'change',
      changes: planned.changes,
      remove: planned.remove,
      action: 'enrichment',
      purpose: enrichmentPurpose(planned.fields),
      result: signalView(after),
    };
  });
}
