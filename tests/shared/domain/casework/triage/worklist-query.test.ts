import { describe, expect, it } from 'vitest';
import { DEFAULT_WORKLIST_PAGE, decodeCursor, encodeCursor, WorklistQuerySchema } from '#domain/casework/index.js';

const problems = (raw: Record<string, string>) => {
  const parsed = WorklistQuerySchema.safeParse(raw);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('WorklistQuerySchema', () => {
  it('reads no parameters as the whole worklist, a page of the default size', () => {
    expect(WorklistQuerySchema.parse({})).toEqual({ reviewDue: false, limit: DEFAULT_WORKLIST_PAGE });
  });

  it('takes several statuses, comma-separated as a repeated parameter arrives, each once', () => {
    expect(WorklistQuerySchema.parse({ status: 'te-verrijken,in-beoordeling,te-verrijken' }).statuses).toEqual(['te-verrijken', 'in-beoordeling']);
    expect(problems({ status: 'open' })[0]).toMatch(/^status: Geef een of meer statussen/);
  });

  it('turns from and to into the instants that bound those Dutch days', () => {
    expect(WorklistQuerySchema.parse({ from: '2026-03-12', to: '2026-03-12' })).toMatchObject({
      receivedFrom: '2026-03-11T23:00:00.000Z',
      receivedBefore: '2026-03-12T23:00:00.000Z',
    });
    // The clocks go forward on 29 March 2026: that day starts in winter time, the next in summer time.
    expect(WorklistQuerySchema.parse({ from: '2026-03-29', to: '2026-03-29' })).toMatchObject({
      receivedFrom: '2026-03-28T23:00:00.000Z',
      receivedBefore: '2026-03-29T22:00:00.000Z',
    });
  });

  it('refuses in Dutch, naming the parameter: an impossible date, to before from, a municipality outside the province, a bad limit', () => {
    expect(problems({ from: '2026-02-30' })).toEqual(['from: Geef een datum als JJJJ-MM-DD (een dag in Nederlandse tijd).']);
    expect(problems({ from: '2026-03-12', to: '2026-03-11' })).toEqual(['to: to ligt vóór from.']);
    expect(problems({ province: 'GR', municipality: 'GM0114' })).toEqual(['municipality: Gemeente Emmen ligt niet in provincie GR.']);
    expect(problems({ province: 'NH' })[0]).toMatch(/^province: Onbekende provincie/);
    expect(problems({ municipality: 'GM0363' })[0]).toMatch(/^municipality: Onbekende gemeentecode/);
    for (const limit of ['0', '101', '1e2', '-1']) expect(problems({ limit })[0]).toMatch(/^limit: Geef een aantal van 1 tot en met 100/);
    expect(problems({ reviewDue: 'yes' })).toEqual(['reviewDue: reviewDue is true of false.']);
  });

  it('refuses an unknown parameter, and a cursor it did not give', () => {
    expect(problems({ sort: 'oldest' })).toHaveLength(1);
    expect(problems({ cursor: 'not-a-cursor' })).toEqual(['cursor: Geef als cursor de waarde van next uit het vorige antwoord.']);
    expect(problems({ cursor: Buffer.from('2026-03-01|x').toString('base64url') })).toHaveLength(1);
  });

  it('reads back the cursor it wrote: a position, opaque to the client', () => {
    const position = { receivedAt: '2026-03-01T09:00:00.000Z', signalId: '00000000-0000-4000-8000-000000000001' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
    expect(WorklistQuerySchema.parse({ cursor }).after).toEqual(position);
    expect(decodeCursor(`${encodeCursor(position)}x`)).toBeUndefined();
  });
});
