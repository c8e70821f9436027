import { type Problem, problem } from '#domain/kernel/index.js';
import { SIGNAL_STATUSES, type SignalStatus } from './record.js';

/** From each status, the statuses a PATCH may set (besides the status itself, which is no move). */
export type StatusMoves = Readonly<Record<SignalStatus, readonly SignalStatus[]>>;

/**
 * The status graph: the moves the regional table makes with `PATCH /v1/triage/signals/{signalId}`
 * (docs/api.md has the table). It lives beside the statuses so that the partner's moves below derive from
 * it: #domain/casework uses it, and `signal/` may not import casework.
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
export const TRIAGE_MOVES: StatusMoves = {
  ontvangen: ['te-verrijken', 'in-beoordeling', 'ingetrokken'],
  'te-verrijken': ['in-beoordeling', 'ingetrokken'],
  'in-beoordeling': ['te-verrijken', 'ingetrokken'],
  besproken: ['in-beoordeling', 'afgesloten'],
  afgesloten: ['in-beoordeling'],
  ingetrokken: ['ontvangen', 'te-verrijken', 'in-beoordeling'],
};

/** The statuses the filing partner may set with `PATCH /v1/signals/{signalId}`: withdrawn, and the withdrawal undone. */
export const PARTNER_STATUSES = ['ontvangen', 'ingetrokken'] as const satisfies readonly SignalStatus[];
export type PartnerStatus = (typeof PARTNER_STATUSES)[number];

const isPartnerStatus = (status: SignalStatus): status is PartnerStatus => (PARTNER_STATUSES as readonly SignalStatus[]).includes(status);

/**
 * The filing partner's moves: the table's moves that end in a status the partner may set, so never a move
 * the table could not make. That gives withdrawal from ontvangen, te-verrijken and in-beoordeling, and
 * ontvangen from ingetrokken; once the table has decided (besproken, afgesloten) the partner moves nothing,
 * so it can neither withdraw a weighed signal (and drop its routes from the counts) nor reopen it.
 */
export const PARTNER_MOVES: StatusMoves = Object.fromEntries(
  SIGNAL_STATUSES.map((from) => [from, TRIAGE_MOVES[from].filter(isPartnerStatus)]),
) as unknown as StatusMoves;

/** Whether `moves` allow going from one status to another; the same status is always allowed. */
export const allowsMove = (moves: StatusMoves, from: SignalStatus, to: SignalStatus): boolean => from === to || moves[from].includes(to);

export const canPartnerMove = (from: SignalStatus, to: SignalStatus): boolean => allowsMove(PARTNER_MOVES, from, to);

/** "a", "a of b", "a, b of c". */
export const statusList = (statuses: readonly string[]): string =>
  statuses.length === 1 ? statuses[0]! : `${statuses.slice(0, -1).join(', ')} of ${statuses.at(-1)}`;

/**
 * The 409 for a status move not allowed: the current status, and where it can go from there (`allowed`),
 * with an optional hint after it. One shape for the table's refusals and the partner's.
 */
export function statusMoveProblem(from: SignalStatus, to: SignalStatus, allowed: readonly SignalStatus[], hint = ''): Problem {
  const [detail, field] =
    allowed.length > 0
      ? [`van daaruit kan de status naar ${statusList(allowed)}, niet naar ${to}.`, `Van ${from} kan de status naar ${statusList(allowed)}.`]
      : [`van daaruit kunt u de status niet wijzigen, ook niet naar ${to}.`, `Van ${from} kunt u de status niet wijzigen.`];
  return problem(409, 'invalid-transition', 'Statuswijziging niet toegestaan', `De melding heeft status ${from}; ${detail}${hint}`, [
    { pointer: '/status', detail: field },
  ]);
}

/** The 409 for a partner's move it may not make; on a decided signal it says that the table holds it. */
export function partnerMoveProblem(from: SignalStatus, to: SignalStatus): Problem {
  const decided = from === 'besproken' || from === 'afgesloten';
  return statusMoveProblem(
    from,
    to,
    PARTNER_MOVES[from],
    decided ? ' De regionale tafel heeft over de melding besloten; alleen de tafel kan de status nog wijzigen.' : '',
  );
}
