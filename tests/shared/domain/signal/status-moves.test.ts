import { describe, expect, it } from 'vitest';
import {
  allowsMove,
  canPartnerMove,
  PARTNER_MOVES,
  PARTNER_STATUSES,
  partnerMoveProblem,
  SIGNAL_STATUSES,
  type SignalStatus,
  statusMoveProblem,
  TRIAGE_MOVES,
} from '#domain/signal/index.js';

/** The partner's row of docs/api.md, pair by pair: from each status, the statuses its PATCH may set ('=' is the same status). */
const EXPECTED: Record<SignalStatus, Partial<Record<SignalStatus, true>>> = {
  ontvangen: { ontvangen: true, ingetrokken: true },
  'te-verrijken': { 'te-verrijken': true, ingetrokken: true },
  'in-beoordeling': { 'in-beoordeling': true, ingetrokken: true },
  besproken: { besproken: true },
  afgesloten: { afgesloten: true },
  ingetrokken: { ingetrokken: true, ontvangen: true },
};

const pairs = SIGNAL_STATUSES.flatMap((from) => SIGNAL_STATUSES.map((to) => [from, to] as const));

describe("the filing partner's status moves", () => {
  it.each(pairs)('from %s to %s is allowed exactly as the documented rule says', (from, to) => {
    expect(canPartnerMove(from, to)).toBe(EXPECTED[from][to] === true);
  });

  it('never allows a move the table could not make, nor a status other than ontvangen or ingetrokken', () => {
    for (const [from, to] of pairs) {
      if (from === to || !canPartnerMove(from, to)) continue;
      expect(allowsMove(TRIAGE_MOVES, from, to), `${from} → ${to}`).toBe(true);
      expect(PARTNER_STATUSES).toContain(to);
    }
  });

  it('allows every table move that ends in a status the partner may set, before a decision (so the rule derives from the one graph)', () => {
    for (const [from, to] of pairs) {
      const decided = from === 'besproken' || from === 'afgesloten';
      const expected = from === to || (!decided && TRIAGE_MOVES[from].includes(to) && (PARTNER_STATUSES as readonly string[]).includes(to));
      expect(canPartnerMove(from, to), `${from} → ${to}`).toBe(expected);
    }
    expect(Object.keys(PARTNER_MOVES).sort()).toEqual([...SIGNAL_STATUSES].sort());
  });

  it('answers a decided signal with a Dutch 409 naming its status and that only the table can change it', () => {
    const refused = partnerMoveProblem('besproken', 'ingetrokken');
    expect(refused).toMatchObject({ status: 409, type: expect.stringMatching(/invalid-transition$/), title: 'Statuswijziging niet toegestaan' });
    expect(refused.detail).toBe(
      'De melding heeft status besproken; van daaruit kunt u de status niet wijzigen, ook niet naar ingetrokken. De regionale tafel heeft over de melding besloten; alleen de tafel kan de status nog wijzigen.',
    );
    expect(refused.errors).toEqual([{ pointer: '/status', detail: 'Van besproken kunt u de status niet wijzigen.' }]);
    expect(partnerMoveProblem('afgesloten', 'ontvangen').detail).toContain('status afgesloten');
  });

  it('answers an undecided signal with the statuses the partner may set from there', () => {
    const refused = partnerMoveProblem('te-verrijken', 'ontvangen');
    expect(refused.detail).toBe('De melding heeft status te-verrijken; van daaruit kan de status naar ingetrokken, niet naar ontvangen.');
    expect(refused.errors).toEqual([{ pointer: '/status', detail: 'Van te-verrijken kan de status naar ingetrokken.' }]);
  });

  it("builds the table's 409 in the same shape, with its hint after the allowed statuses", () => {
    expect(statusMoveProblem('afgesloten', 'ingetrokken', TRIAGE_MOVES.afgesloten, ' Zie hier.')).toEqual({
      type: expect.stringMatching(/invalid-transition$/),
      title: 'Statuswijziging niet toegestaan',
      status: 409,
      detail: 'De melding heeft status afgesloten; van daaruit kan de status naar in-beoordeling, niet naar ingetrokken. Zie hier.',
      errors: [{ pointer: '/status', detail: 'Van afgesloten kan de status naar in-beoordeling.' }],
    });
  });
});
