import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { World } from '../../shared/domain/casework/erasure/world.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; these only name resources, nothing is called.
stubHandlerEnvironment({
  SIGNALS_TABLE: 'signals',
  LINKS_TABLE: 'links',
  AUDIT_TABLE: 'audit',
  PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:s',
});
const { privacyErasureHandler } = await import('../../../functions/privacy-erasure/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const officer = {
  verdict: 'allow',
  organisation: 'Privacyfunctionaris Noord-Nederland',
  sourceType: 'gemeente',
  region: 'noord-nederland',
  scopes: 'audit:read privacy:erase',
  keyHash: 'f'.repeat(64),
};
const event = (body: string, verdict: object = officer, contentType = 'application/json') =>
  apiEvent({ method: 'POST', path: '/v1/privacy/erasures', headers: { 'content-type': contentType }, body, verdict });

async function post(world: World, body: unknown, verdict?: object, contentType?: string) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return (await privacyErasureHandler(world.erasurePorts())(event(raw, verdict, contentType), lambdaContext('privacy-erasure', 'eu-central-1'))) as Answer;
}

describe('POST /v1/privacy/erasures', () => {
  it('answers 200 with how many and which signals were erased, never cached', async () => {
    const world = new World();
    const signal = await world.file({ subject: { bsn: '111222333' }, description: 'Slaapt in de loods' });
    const answer = await post(world, { person: { bsn: '111-222-333' }, reference: 'AVG-2026-014' });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(JSON.parse(answer.body!)).toEqual({ erased: 1, signalIds: [signal.signalId], erasedAt: world.now.toISOString() });
    expect(world.log.entries[0]).toMatchObject({ action: 'erasure', signalId: signal.signalId, purpose: expect.stringContaining('kenmerk AVG-2026-014') });
  });

  it('answers 422 naming the field for a name alone, an invalid BSN or an unknown field, and changes nothing', async () => {
    const world = new World();
    await world.file({ subject: { bsn: '111222333' } });
    const pointers = async (body: unknown) => {
      const answer = await post(world, body);
      expect(answer.statusCode).toBe(422);
      expect(answer.headers['content-type']).toBe('application/problem+json');
      return JSON.parse(answer.body!).errors.map((e: { pointer: string }) => e.pointer);
    };
    expect(await pointers({ person: { name: 'Jan de Vries' } })).toEqual(['/person/dateOfBirth']);
    expect(await pointers({ person: { bsn: '111222334' } })).toEqual(['/person/bsn']);
    expect(await pointers({ person: { bsn: '111222333' }, subject: {} })).toEqual(['/subject']);
    expect(await pointers({ person: { bsn: '111222333' }, reason: 'Op verzoek van jan@example.nl' })).toEqual(['/reason']);
    expect(world.log.entries).toEqual([]);
  });

  it('answers 400 for malformed JSON, 415 for another media type and 413 over 4 KB', async () => {
    const world = new World();
    expect((await post(world, '{"person":')).statusCode).toBe(400);
    expect((await post(world, 'person=1', officer, 'text/plain')).statusCode).toBe(415);
    expect((await post(world, { person: { bsn: '111222333' }, reason: 'x'.repeat(5_000) })).statusCode).toBe(413);
  });

  it('answers 401 without a key and 403 for a key without privacy:erase', async () => {
    const world = new World();
    expect((await post(world, { person: { bsn: '111222333' } }, { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await post(world, { person: { bsn: '111222333' } }, { ...officer, scopes: 'audit:read' })).statusCode).toBe(403);
  });
});
