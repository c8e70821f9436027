import { describe, expect, it } from 'vitest';
import { canMove, DECIDABLE_STATUSES, decisionProblem, moveProblem, TRIAGE_MOVES } from '#domain/casework/index.js';
import { SIGNAL_STATUSES, type SignalStatus } from '#domain/signal/index.js';

/** The table of docs/api.md, row by row: from each status, the statuses a PATCH may set ('=' is the same status). */
const EXPECTED: Record<SignalStatus, Record<SignalStatus, boolean>> = {
  ontvangen: { ontvangen: true, 'te-verrijken': true, 'in-beoordeling': true, besproken: false, afgesloten: false, ingetrokken: true },
  'te-verrijken': { ontvangen: false, 'te-verrijken': true, 'in-beoordeling': true, besproken: false, afgesloten: false, ingetrokken: true },
  'in-beoordeling': { ontvangen: false, 'te-verrijken': true, 'in-beoordeling': true, besproken: false, afgesloten: false, ingetrokken: true },
  besproken: { ontvangen: false, 'te-verrijken': false, 'in-beoordeling': true, besproken: true, afgesloten: true, ingetrokken: false },
  afgesloten: { ontvangen: false, 'te-verrijken': false, 'in-beoordeling': true, besproken: false, afgesloten: true, ingetrokken: false },
  ingetrokken: { ontvangen: true, 'te-verrijken': true, 'in-beoordeling': true, besproken: false, afgesloten: false, ingetrokken: true },
};

describe('the triage status transitions', () => {
  const pairs = SIGNAL_STATUSES.flatMap((from) => SIGNAL_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('from %s to %s is allowed exactly as the documented table says', (from, to) => {
    expect(canMove(from, to)).toBe(EXPECTED[from][to]);
  });

  it('covers all 36 pairs of the six statuses', () => {
    expect(pairs).toHaveLength(36);
    expect(Object.keys(TRIAGE_MOVES).sort()).toEqual([...SIGNAL_STATUSES].sort());
  });

  it('never lets a PATCH make a signal besproken: only a decision does', () => {
    for (const from of SIGNAL_STATUSES) if (from !== 'besproken') expect(canMove(from, 'besproken')).toBe(false);
  });

  it('takes a decision on every status but withdrawn and closed', () => {
    expect([...DECIDABLE_STATUSES].sort()).toEqual(['besproken', 'in-beoordeling', 'ontvangen', 'te-verrijken']);
  });

  it('answers a forbidden move with a Dutch 409 naming the current status and the allowed ones', () => {
    const p = moveProblem('afgesloten', 'ingetrokken');
    expect(p).toMatchObject({ status: 409, type: expect.stringMatching(/invalid-transition$/), title: 'Statuswijziging niet toegestaan' });
    expect(p.detail).toBe('De melding heeft status afgesloten; van daaruit kan de status naar in-beoordeling, niet naar ingetrokken.');
    expect(p.errors).toEqual([{ pointer: '/status', detail: 'Van afgesloten kan de status naar in-beoordeling.' }]);
    expect(moveProblem('ontvangen', 'afgesloten').detail).toContain('naar te-verrijken, in-beoordeling of ingetrokken');
  });

  it('points a move to besproken to recording a decision', () => {
    expect(moveProblem('in-beoordeling', 'besproken').detail).toContain('door een besluit vast te leggen');
    expect(moveProblem('afgesloten', 'besproken').detail).not.toContain('besluit');
  });

  it('tells how to decide on a closed signal, and why a withdrawn one takes no decision', () => {
    expect(decisionProblem('afgesloten')).toMatchObject({ status: 409, detail: expect.stringContaining('heropen haar eerst') });
    expect(decisionProblem('ingetrokken').detail).toContain('status ingetrokken');
  });
});
