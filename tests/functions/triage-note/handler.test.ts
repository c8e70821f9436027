import { describe, expect, it } from 'vitest';
import { encryptText } from '#domain/privacy/index.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { DRENTHE_VERDICT, personalSignal, ReadWorld } from '../../shared/domain/casework/triage/read-world.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', AUDIT_TABLE: 'audit', LOCAL_KEY_DIR: '/nonexistent' });
const { triageNoteHandler } = await import('../../../functions/triage-note/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const NOTE = 'TMM verkent de werkgever; zorgcoördinator neemt contact op.';
const WITH_NOTE = '11111111-1111-4111-8111-111111111111';
const WITHOUT_NOTE = '22222222-2222-4222-8222-222222222222';
const drenthe = DRENTHE_VERDICT;

const w = new ReadWorld();
const decision = { routes: ['zorg' as const], decidedOn: '2026-03-10', recordedAt: '2026-03-10T12:00:00.000Z', organisation: 'Drieluik Drenthe' };
const [emmen, groningen] = await w.add(
  personalSignal('anna', {
    status: 'besproken',
    decisions: [
      { ...decision, decisionId: WITH_NOTE, note: await encryptText(NOTE, w.dataKeys) },
      { ...decision, decisionId: WITHOUT_NOTE },
    ],
  }),
  personalSignal('cora', {
    municipality: 'GM0014',
    province: 'GR',
    decisions: [{ ...decision, decisionId: WITH_NOTE, note: await encryptText(NOTE, w.dataKeys) }],
  }),
);

const event = (signalId: string, decisionId: string, rawQueryString = '', verdict: object = drenthe) =>
  apiEvent({
    method: 'GET',
    path: `/v1/triage/signals/${signalId}/decisions/${decisionId}/note`,
    query: rawQueryString,
    pathParameters: { signalId, decisionId },
    verdict,
  });

/** Asks the handler, noting how many audit entries there were when the note was unwrapped. */
async function get(signalId: string, decisionId: string, query?: string, verdict?: object) {
  const { dataKeys, entriesAtUnwrap } = w.watchedDataKeys();
  const handler = triageNoteHandler({ ...w.ports, dataKeys });
  const answer = (await handler(event(signalId, decisionId, query, verdict), lambdaContext('triage-note', 'eu-central-1'))) as Answer;
  return { answer, entriesAtUnwrap };
}

describe('GET /v1/triage/signals/{signalId}/decisions/{decisionId}/note', () => {
  it('answers the decrypted note, uncached, only after the read with its purpose and decision is logged', async () => {
    const before = w.audit.entries.length;
    const { answer, entriesAtUnwrap } = await get(emmen!.signalId, WITH_NOTE, 'purpose=Weegtafel%2024%20maart');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect(JSON.parse(answer.body!)).toEqual({ signalId: emmen!.signalId, decisionId: WITH_NOTE, note: NOTE });
    // The entry was in before the data key was unwrapped.
    expect(entriesAtUnwrap).toEqual([before + 1]);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'note-read', signalId: emmen!.signalId, decisionId: WITH_NOTE, purpose: 'Weegtafel 24 maart' });
  });

  it('takes the ids in any case, as the path gives them', async () => {
    const { answer } = await get(emmen!.signalId.toUpperCase(), WITH_NOTE.toUpperCase(), 'purpose=Weegtafel');
    expect(answer.statusCode).toBe(200);
  });

  it('answers 422 in Dutch without a purpose or with a BSN in it, and logs and unwraps nothing', async () => {
    const before = w.audit.entries.length;
    for (const query of ['', 'purpose=Dossier%20111222333']) {
      const { answer, entriesAtUnwrap } = await get(emmen!.signalId, WITH_NOTE, query);
      expect(answer.statusCode).toBe(422);
      expect(JSON.parse(answer.body!)).toMatchObject({ detail: 'Geef een doel op, zonder persoonsgegevens.', errors: [{ pointer: '/purpose' }] });
      expect(entriesAtUnwrap).toEqual([]);
    }
    expect(w.audit.entries).toHaveLength(before);
  });

  it('answers the 404s in Dutch: unknown or out-of-area signal, unknown decision, no note; logging and unwrapping nothing', async () => {
    const before = w.audit.entries.length;
    const cases: Array<[string, string, string]> = [
      ['00000000-0000-4000-8000-999999999999', WITH_NOTE, 'not-found'],
      [groningen!.signalId, WITH_NOTE, 'not-found'],
      ['not-a-uuid', WITH_NOTE, 'not-found'],
      [emmen!.signalId, '33333333-3333-4333-8333-333333333333', 'decision-not-found'],
      [emmen!.signalId, 'not-a-uuid', 'decision-not-found'],
      [emmen!.signalId, WITHOUT_NOTE, 'no-note'],
    ];
    for (const [signalId, decisionId, type] of cases) {
      const { answer, entriesAtUnwrap } = await get(signalId, decisionId, 'purpose=Weegtafel');
      expect(answer.statusCode, `${signalId} ${decisionId}`).toBe(404);
      const body = JSON.parse(answer.body!);
      expect(body.type).toBe(`tag:meldroute.nl,2026:problem/${type}`);
      expect(body.title).toMatch(/niet gevonden|Geen notitie/);
      expect(entriesAtUnwrap).toEqual([]);
    }
    expect(w.audit.entries).toHaveLength(before);
  });

  it('answers 401 without a key and 403 to a key without signals:triage', async () => {
    expect((await get(emmen!.signalId, WITH_NOTE, 'purpose=Weegtafel', { verdict: 'unauthorized' })).answer.statusCode).toBe(401);
    expect((await get(emmen!.signalId, WITH_NOTE, 'purpose=Weegtafel', { ...drenthe, scopes: 'signals:write' })).answer.statusCode).toBe(403);
  });
});
