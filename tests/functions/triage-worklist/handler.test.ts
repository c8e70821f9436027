import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { DRENTHE_VERDICT, personalSignal, personalTraces, ReadWorld } from '../../shared/domain/casework/triage/read-world.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', LINKS_TABLE: 'links' });
const { triageWorklistHandler } = await import('../../../functions/triage-worklist/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const drenthe = DRENTHE_VERDICT;
const event = (rawQueryString: string, verdict: object) => apiEvent({ method: 'GET', path: '/v1/triage/signals', query: rawQueryString, verdict });

const w = new ReadWorld();
const [emmen, , assen] = await w.add(
  personalSignal('anna', { receivedAt: '2026-03-01T09:00:00.000Z', status: 'te-verrijken' }),
  personalSignal('bert', { receivedAt: '2026-03-01T10:00:00.000Z', municipality: 'GM0014', province: 'GR', status: 'te-verrijken' }),
  personalSignal('cora', { receivedAt: '2026-03-01T11:00:00.000Z', municipality: 'GM0106', status: 'in-beoordeling' }),
);
const get = async (query: string, verdict: object = drenthe) =>
  (await triageWorklistHandler(w.ports)(event(query, verdict), lambdaContext('triage-worklist', 'eu-central-1'))) as Answer;

describe('GET /v1/triage/signals', () => {
  it("answers the key area's worklist, newest first, never cached on the way, and logs no listing", async () => {
    const answer = await get('');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'private, no-store' });
    const page = JSON.parse(answer.body!);
    expect(page.signals.map((s: { signalId: string }) => s.signalId)).toEqual([assen!.signalId, emmen!.signalId]);
    expect(personalTraces(page)).toEqual([]);
    expect(w.audit.entries).toEqual([]);
  });

  it('reads a repeated status parameter as several statuses, and pages with the cursor it gave', async () => {
    const both = JSON.parse((await get('status=te-verrijken&status=in-beoordeling&limit=1')).body!);
    expect(both.signals).toHaveLength(1);
    const next = JSON.parse((await get(`status=te-verrijken&status=in-beoordeling&limit=1&cursor=${both.next}`)).body!);
    expect(next.signals.map((s: { signalId: string }) => s.signalId)).toEqual([emmen!.signalId]);
  });

  it('refuses a query it cannot answer with a 422 naming each parameter, in Dutch', async () => {
    const answer = await get('status=open&limit=500&colour=red');
    expect(answer.statusCode).toBe(422);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(answer.body!);
    expect(problem.detail).toBe('Een of meer zoekparameters kloppen niet.');
    expect(problem.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/colour', '/limit', '/status']);
  });

  it('answers 401 without a key and 403 to a key without signals:triage', async () => {
    expect((await get('', { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await get('', { verdict: 'forbidden', scope: 'signals:triage' })).statusCode).toBe(403);
    expect((await get('', { ...drenthe, scopes: 'signals:write audit:read' })).statusCode).toBe(403);
  });
});
