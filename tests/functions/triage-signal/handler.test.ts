import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { DRENTHE_KEY, DRENTHE_VERDICT, personalSignal, personalTraces, ReadWorld } from '../../shared/domain/casework/triage/read-world.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', LINKS_TABLE: 'links', AUDIT_TABLE: 'audit' });
const { triageSignalHandler } = await import('../../../functions/triage-signal/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const drenthe = DRENTHE_VERDICT;
const event = (signalId: string, rawQueryString = '', verdict: object = drenthe) =>
  apiEvent({ method: 'GET', path: `/v1/triage/signals/${signalId}`, query: rawQueryString, pathParameters: { signalId }, verdict });

const w = new ReadWorld();
const [emmen, groningen] = await w.add(await w.withDescription(personalSignal('anna')), personalSignal('bert', { municipality: 'GM0014', province: 'GR' }));
const get = async (signalId: string, query?: string, verdict?: object) =>
  (await triageSignalHandler(w.ports)(event(signalId, query, verdict), lambdaContext('triage-signal', 'eu-central-1'))) as Answer;

describe('GET /v1/triage/signals/{signalId}', () => {
  it('answers the signal with its history once the look is logged with the stated purpose, never cached', async () => {
    const answer = await get(emmen!.signalId.toUpperCase(), 'purpose=Voorbereiding%20weegtafel');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    const body = JSON.parse(answer.body!);
    expect(body).toMatchObject({
      signalId: emmen!.signalId,
      hasDescription: true,
      history: [{ action: 'signal-read', organisation: DRENTHE_KEY.organisation }],
    });
    expect(personalTraces(body)).toEqual([]);
    expect(w.audit.entries.at(-1)).toMatchObject({ action: 'signal-read', signalId: emmen!.signalId, purpose: 'Voorbereiding weegtafel' });
  });

  it('answers 404 outside the key area and for an id that is no UUID, logging nothing', async () => {
    const before = w.audit.entries.length;
    for (const id of [groningen!.signalId, 'not-a-uuid']) {
      const answer = await get(id);
      expect(answer.statusCode).toBe(404);
      expect(JSON.parse(answer.body!).type).toBe('tag:meldroute.nl,2026:problem/not-found');
    }
    expect(w.audit.entries).toHaveLength(before);
  });

  it('refuses a purpose with personal data with a 422 and logs nothing', async () => {
    const before = w.audit.entries.length;
    const answer = await get(emmen!.signalId, 'purpose=BSN%20111222333');
    expect(answer.statusCode).toBe(422);
    expect(JSON.parse(answer.body!).errors[0]).toMatchObject({ pointer: '/purpose', detail: expect.stringMatching(/BSN/) });
    expect(w.audit.entries).toHaveLength(before);
  });

  it('answers 503 and shows nothing when the audit log cannot take the entry', async () => {
    const busy = { ...w.ports, audit: Object.assign(Object.create(w.audit), { append: async () => false }) };
    const answer = (await triageSignalHandler(busy)(event(emmen!.signalId), lambdaContext('triage-signal', 'eu-central-1'))) as Answer;
    expect(answer.statusCode).toBe(503);
    expect(answer.body).not.toContain(emmen!.observedAt);
  });

  it('answers 401 without a key and 403 to a key without signals:triage', async () => {
    expect((await get(emmen!.signalId, '', { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await get(emmen!.signalId, '', { ...drenthe, scopes: 'audit:read' })).statusCode).toBe(403);
  });
});
