import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { KEY_HASH, triageWorld } from '../../shared/domain/casework/triage/memory-triage-write.js';
import { storedSignal } from '../../support/stored-signal.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({ SIGNALS_TABLE: 'signals', AUDIT_TABLE: 'audit' });
const { triageEnrichmentHandler } = await import('../../../functions/triage-enrichment/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const triage = {
  verdict: 'allow',
  organisation: 'Drieluik Drenthe',
  sourceType: 'gemeente',
  region: 'noord-nederland',
  scopes: 'signals:triage',
  keyHash: KEY_HASH,
  province: 'DR',
};
const emailSignal = storedSignal({ channel: 'email', status: 'te-verrijken', municipality: 'onbekend', province: 'DR', form: 'onbekend' });
const id = emailSignal.signalId;

const event = (body: string, headers: Record<string, string> = {}, verdict: object = triage, signalId = id) =>
  apiEvent({
    method: 'PATCH',
    path: `/v1/triage/signals/${signalId}`,
    headers: { 'content-type': 'application/json', ...headers },
    body,
    pathParameters: { signalId },
    verdict,
  });

const patch = async (world: ReturnType<typeof triageWorld>, ...args: Parameters<typeof event>) =>
  (await triageEnrichmentHandler(world.ports)(event(...args), lambdaContext('triage-enrichment', 'eu-central-1'))) as Answer;

describe('PATCH /v1/triage/signals/{signalId}', () => {
  it('enriches an untemplated e-mail and answers the signal with its new version as ETag', async () => {
    const world = triageWorld(emailSignal);
    const answer = await patch(world, JSON.stringify({ municipality: 'GM0114', form: 'arbeid', status: 'in-beoordeling' }));
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', etag: '"2"' });
    expect(JSON.parse(answer.body!)).toMatchObject({ signalId: id, municipality: 'GM0114', form: 'arbeid', status: 'in-beoordeling', version: 2 });
    expect(world.log.entries).toEqual([expect.objectContaining({ action: 'enrichment', purpose: 'verrijking: municipality, form, status' })]);
  });

  it('answers 412 when If-Match names an older version, and 409 with the allowed statuses for a forbidden move', async () => {
    const world = triageWorld(emailSignal);
    expect((await patch(world, JSON.stringify({ form: 'arbeid' }), { 'if-match': '"0"' })).statusCode).toBe(412);
    const refused = await patch(world, JSON.stringify({ status: 'afgesloten' }));
    expect(refused.statusCode).toBe(409);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.body!).detail).toBe(
      'De melding heeft status te-verrijken; van daaruit kan de status naar in-beoordeling of ingetrokken, niet naar afgesloten.',
    );
  });

  it('answers 422 for bad fields, 400 for malformed JSON, 415 for another media type and 413 over 4 KB', async () => {
    const world = triageWorld(emailSignal);
    const bad = await patch(world, JSON.stringify({ form: 'nee', note: 'x' }));
    expect(bad.statusCode).toBe(422);
    expect(
      JSON.parse(bad.body!)
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/form', '/note']);
    expect((await patch(world, '{')).statusCode).toBe(400);
    expect((await patch(world, '{}', { 'content-type': 'text/plain' })).statusCode).toBe(415);
    expect((await patch(world, JSON.stringify({ form: 'arbeid', pad: 'x'.repeat(5_000) }))).statusCode).toBe(413);
    expect(world.log.entries).toHaveLength(0);
  });

  it('answers 404 for an id that is no UUID and for a signal outside the area', async () => {
    const groningen = storedSignal({ municipality: 'GM0014', province: 'GR' });
    const world = triageWorld(groningen);
    expect((await patch(world, '{"form":"arbeid"}', {}, triage, 'nope')).statusCode).toBe(404);
    expect((await patch(world, '{"form":"arbeid"}')).statusCode).toBe(404);
  });

  it('answers 401 without a key and 403 for a key without signals:triage', async () => {
    const world = triageWorld(emailSignal);
    expect((await patch(world, '{"form":"arbeid"}', {}, { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await patch(world, '{"form":"arbeid"}', {}, { verdict: 'forbidden', scope: 'signals:triage' })).statusCode).toBe(403);
    expect((await patch(world, '{"form":"arbeid"}', {}, { ...triage, scopes: 'signals:write' })).statusCode).toBe(403);
  });
});
