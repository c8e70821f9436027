import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { KEY_HASH, triageWorld } from '../../shared/domain/casework/triage/memory-triage-write.js';
import { storedSignal } from '../../support/stored-signal.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', AUDIT_TABLE: 'audit', LOCAL_KEY_DIR: '/nonexistent' });
const { triageDecisionHandler } = await import('../../../functions/triage-decision/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const triage = {
  verdict: 'allow',
  organisation: 'Drieluik Drenthe',
  sourceType: 'gemeente',
  region: 'noord-nederland',
  scopes: 'signals:triage',
  keyHash: KEY_HASH,
};
const onTable = storedSignal({ status: 'in-beoordeling', receivedAt: '2026-02-20T10:00:00.000Z' });
const id = onTable.signalId;
const NOTE = 'Betrokkene woont op het bedrijfsterrein; zorgcoördinator gaat langs.';

const event = (body: string, headers: Record<string, string> = {}, verdict: object = triage) =>
  apiEvent({
    method: 'POST',
    path: `/v1/triage/signals/${id}/decisions`,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    pathParameters: { signalId: id },
    verdict,
  });

const post = async (world: ReturnType<typeof triageWorld>, ...args: Parameters<typeof event>) =>
  (await triageDecisionHandler(world.ports)(event(...args), lambdaContext('triage-decision', 'eu-central-1'))) as Answer;

describe('POST /v1/triage/signals/{signalId}/decisions', () => {
  it('answers 201 with the decision, never the note, a Location and the new version as ETag', async () => {
    const world = triageWorld(onTable);
    const answer = await post(world, JSON.stringify({ routes: ['zorg', 'riec'], decidedOn: '2026-03-10', reviewOn: '2026-04-07', note: NOTE }));
    expect(answer.statusCode).toBe(201);
    expect(answer.headers).toMatchObject({ location: `/v1/triage/signals/${id}`, etag: '"2"' });
    const decision = JSON.parse(answer.body!);
    expect(decision).toEqual({
      decisionId: expect.any(String),
      routes: ['zorg', 'riec'],
      decidedOn: '2026-03-10',
      reviewOn: '2026-04-07',
      recordedAt: expect.any(String),
      organisation: 'Drieluik Drenthe',
      hasNote: true,
    });
    expect(answer.body).not.toContain('bedrijfsterrein');
    expect(world.store.signals.get(id)).toMatchObject({ status: 'besproken', routes: ['zorg', 'riec'] });
  });

  it('answers a retry with the same Idempotency-Key with the same decision, recorded once', async () => {
    const world = triageWorld(onTable);
    const body = JSON.stringify({ routes: ['advies'], decidedOn: '2026-03-10' });
    const first = await post(world, body, { 'idempotency-key': 'tafel-0310-7' });
    const again = await post(world, body, { 'idempotency-key': 'tafel-0310-7' });
    expect([first.statusCode, again.statusCode]).toEqual([201, 201]);
    expect(again.body).toBe(first.body);
    expect(world.store.signals.get(id)?.decisions).toHaveLength(1);
    expect(world.log.entries).toHaveLength(1);
    const other = await post(world, JSON.stringify({ routes: ['riec'], decidedOn: '2026-03-10' }), { 'idempotency-key': 'tafel-0310-7' });
    expect(other.statusCode).toBe(409);
  });

  it('answers 400 for an Idempotency-Key that is not 1 to 255 visible ASCII characters', async () => {
    const world = triageWorld(onTable);
    expect((await post(world, JSON.stringify({ routes: ['zorg'], decidedOn: '2026-03-10' }), { 'idempotency-key': 'met spatie' })).statusCode).toBe(400);
  });

  it('answers 422 naming each bad field, and 409 on a closed signal', async () => {
    const bad = await post(triageWorld(onTable), JSON.stringify({ routes: ['zorg', 'zorg'], decidedOn: '2999-01-01', reviewOn: 'later' }));
    expect(bad.statusCode).toBe(422);
    expect(
      JSON.parse(bad.body!)
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/decidedOn', '/reviewOn', '/routes']);
    const closed = await post(triageWorld({ ...onTable, status: 'afgesloten' }), JSON.stringify({ routes: ['zorg'], decidedOn: '2026-03-10' }));
    expect(closed.statusCode).toBe(409);
  });

  it('answers 401 without a key and 403 for a key without signals:triage', async () => {
    const world = triageWorld(onTable);
    const body = JSON.stringify({ routes: ['zorg'], decidedOn: '2026-03-10' });
    expect((await post(world, body, {}, { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await post(world, body, {}, { ...triage, scopes: 'statistics:read audit:read' })).statusCode).toBe(403);
    expect(world.log.entries).toHaveLength(0);
  });
});
