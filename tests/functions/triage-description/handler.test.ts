import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { DRENTHE_VERDICT, FREE_TEXT, personalSignal, ReadWorld } from '../../shared/domain/casework/triage/read-world.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', AUDIT_TABLE: 'audit', LOCAL_KEY_DIR: '/nonexistent' });
const { triageDescriptionHandler } = await import('../../../functions/triage-description/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const drenthe = DRENTHE_VERDICT;
const event = (signalId: string, rawQueryString = '', verdict: object = drenthe) =>
  apiEvent({ method: 'GET', path: `/v1/triage/signals/${signalId}/description`, query: rawQueryString, pathParameters: { signalId }, verdict });

const w = new ReadWorld();
const [withText, withoutText] = await w.add(await w.withDescription(personalSignal('anna')), personalSignal('bert'));
const get = async (signalId: string, query?: string, verdict?: object) =>
  (await triageDescriptionHandler(w.ports)(event(signalId, query, verdict), lambdaContext('triage-description', 'eu-central-1'))) as Answer;

describe('GET /v1/triage/signals/{signalId}/description', () => {
  it('answers the decrypted text after logging the read with its purpose', async () => {
    const answer = await get(withText!.signalId, 'purpose=Weegtafel%2014%20maart');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect(JSON.parse(answer.body!)).toEqual({ signalId: withText!.signalId, description: FREE_TEXT });
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'description-read', purpose: 'Weegtafel 14 maart' });
  });

  it('answers 422 in Dutch without a purpose, and logs nothing', async () => {
    const before = w.audit.entries.length;
    const answer = await get(withText!.signalId);
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body!)).toMatchObject({
      detail: 'Geef een doel op, zonder persoonsgegevens.',
      errors: [{ pointer: '/purpose', detail: 'Geef het doel op: waarom deze inzage of handeling nodig is.' }],
    });
    expect(w.audit.entries).toHaveLength(before);
  });

  it('answers a 404 no-description for a signal without text', async () => {
    const answer = await get(withoutText!.signalId, 'purpose=Weegtafel');
    expect(answer.statusCode).toBe(404);
    expect(JSON.parse(answer.body!).type).toBe('tag:meldroute.nl,2026:problem/no-description');
  });

  it('answers 401 without a key and 403 to a key without signals:triage', async () => {
    expect((await get(withText!.signalId, 'purpose=Weegtafel', { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await get(withText!.signalId, 'purpose=Weegtafel', { ...drenthe, scopes: 'signals:write' })).statusCode).toBe(403);
  });
});
