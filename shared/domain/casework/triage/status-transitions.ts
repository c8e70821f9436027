import { type Problem, problem } from '#domain/kernel/index.js';
import type { SignalStatus } from '#domain/signal/index.js';

/**
 * The moves the regional table makes with `PATCH /v1/triage/signals/{signalId}` (docs/api.md has the table):
 *
 * - ontvangen → te-verrijken (it needs more first), in-beoordeling (on the table's list), ingetrokken;
 * - te-verrijken → in-beoordeling, ingetrokken;
 * - in-beoordeling → te-verrijken (back for more), ingetrokken;
 * - besproken → in-beoordeling (back on the list), afgesloten;
 * - afgesloten → in-beoordeling (reopened);
 * - ingetrokken → ontvangen, te-verrijken, in-beoordeling (the withdrawal undone).
 *
 * `besproken` is reached only by recording a decision (POST …/decisions), from any status that is neither
 * withdrawn nor closed: a closed signal is reopened first, so that reopening is its own audited step. A
 * signal that was discussed is not withdrawn but closed: it was weighed, and its routes stay counted.
 * Naming the status a signal already has is no move, and always allowed.
 */
export const TRIAGE_MOVES: Readonly<Record<SignalStatus, readonly SignalStatus[]>> = {
  ontvangen: ['te-verrijken', 'in-beoordeling', 'ingetrokken'],
  'te-verrijken': ['in-beoordeling', 'ingetrokken'],
  'in-beoordeling': ['te-verrijken', 'ingetrokken'],
  besproken: ['in-beoordeling', 'afgesloten'],
  afgesloten: ['in-beoordeling'],
  ingetrokken: ['ontvangen', 'te-verrijken', 'in-beoordeling'],
};

/** The statuses from which a decision may be recorded (the signal then becomes `besproken`). */
export const DECIDABLE_STATUSES: readonly SignalStatus[] = ['ontvangen', 'te-verrijken', 'in-beoordeling', 'besproken'];

export const canMove = (from: SignalStatus, to: SignalStatus): boolean => from === to || TRIAGE_MOVES[from].includes(to);

const list = (statuses: readonly string[]) => (statuses.length === 1 ? statuses[0]! : `${statuses.slice(0, -1).join(', ')} of ${statuses.at(-1)}`);

/** The 409 for a move the table may not make: the current status, and where it can go from there. */
export function moveProblem(from: SignalStatus, to: SignalStatus): Problem {
  const allowed = TRIAGE_MOVES[from];
  const viaDecision =
    to === 'besproken' && DECIDABLE_STATUSES.includes(from) ? ' Besproken wordt een melding door een besluit vast te leggen (POST …/decisions).' : '';
  return problem(
    409,
    'invalid-transition',
    'Statuswijziging niet toegestaan',
    `De melding heeft status ${from}; van daaruit kan de status naar ${list(allowed)}, niet naar ${to}.${viaDecision}`,
    [{ pointer: '/status', detail: `Van ${from} kan de status naar ${list(allowed)}.` }],
  );
}

/** The 409 for a decision on a signal that cannot take one. */
export function decisionProblem(from: SignalStatus): Problem {
  const detail =
    from === 'afgesloten'
      ? 'De melding heeft status afgesloten; heropen haar eerst (status in-beoordeling) om een nieuw besluit vast te leggen.'
      : `De melding heeft status ${from}; een besluit kan alleen bij status ${list(DECIDABLE_STATUSES)}.`;
  return problem(409, 'invalid-transition', 'Besluit niet mogelijk', detail);
}
