import { type Problem, problem } from '#domain/kernel/index.js';
import { allowsMove, type SignalStatus, statusList, statusMoveProblem, TRIAGE_MOVES } from '#domain/signal/index.js';

/**
 * The moves the regional table makes with `PATCH /v1/triage/signals/{signalId}`: the status graph
 * TRIAGE_MOVES, kept beside the statuses in #domain/signal (the filing partner's moves derive from it there;
 * its comment gives the reasons), and re-exported here for the casework.
 */
export { TRIAGE_MOVES };

/** The statuses from which a decision may be recorded (the signal then becomes `besproken`). */
export const DECIDABLE_STATUSES: readonly SignalStatus[] = ['ontvangen', 'te-verrijken', 'in-beoordeling', 'besproken'];

export const canMove = (from: SignalStatus, to: SignalStatus): boolean => allowsMove(TRIAGE_MOVES, from, to);

/** The 409 for a move the table may not make: the current status, and where it can go from there. */
export function moveProblem(from: SignalStatus, to: SignalStatus): Problem {
  const viaDecision =
    to === 'besproken' && DECIDABLE_STATUSES.includes(from) ? ' Besproken wordt een melding door een besluit vast te leggen (POST …/decisions).' : '';
  return statusMoveProblem(from, to, TRIAGE_MOVES[from], viaDecision);
}

/** The 409 for a decision on a signal that cannot take one. */
export function decisionProblem(from: SignalStatus): Problem {
  const detail =
    from === 'afgesloten'
      ? 'De melding heeft status afgesloten; heropen haar eerst (status in-beoordeling) om een nieuw besluit vast te leggen.'
      : `De melding heeft status ${from}; een besluit kan alleen bij status ${statusList(DECIDABLE_STATUSES)}.`;
  return problem(409, 'invalid-transition', 'Besluit niet mogelijk', detail);
}
