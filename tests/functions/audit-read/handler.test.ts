import { describe, expect, it } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { chain, SIGNAL } from '../../shared/domain/casework/audit/fixtures.js';
import { MemoryAuditLog } from '../../shared/domain/casework/audit/memory-audit-log.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires a real client at load; these only name resources, nothing is called.
stubHandlerEnvironment({ AUDIT_TABLE: 'audit' });
const { auditReadHandler } = await import('../../../functions/audit-read/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const officer = { verdict: 'allow', organisation: 'Privacyfunctionaris', sourceType: 'overig', region: 'noord-nederland', scopes: 'audit:read' };
const event = (rawQueryString: string, verdict: object = officer) => apiEvent({ method: 'GET', path: '/v1/audit', query: rawQueryString, verdict });

const log = new MemoryAuditLog();
log.entries.push(...chain(5));
const get = async (query: string, verdict?: object) =>
  (await auditReadHandler(log)(event(query, verdict), lambdaContext('audit-read', 'eu-central-1'))) as Answer;

describe('GET /v1/audit', () => {
  it("answers a signal's entries and the cursor to the next page, never cached on the way", async () => {
    const answer = await get(`signalId=${SIGNAL}&limit=2`);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'private, no-store' });
    const page = JSON.parse(answer.body!);
    expect(page.entries.map((e: { sequence: number }) => e.sequence)).toEqual([1, 2]);
    expect(page.next).toBe('2');
    expect(JSON.parse((await get(`signalId=${SIGNAL}&limit=2&cursor=${page.next}`)).body!)).toMatchObject({
      entries: [{ sequence: 4 }, { sequence: 5 }],
      next: null,
    });
  });

  it('answers a period', async () => {
    const page = JSON.parse((await get('from=2026-03-12T09:02:00Z&to=2026-03-12T09:03:00Z')).body!);
    expect(page).toMatchObject({ entries: [{ sequence: 2 }, { sequence: 3, signalId: null }], next: null });
  });

  it('refuses a query it cannot answer with a 422 naming the parameter', async () => {
    const answer = await get(`signalId=${SIGNAL}&from=2026-03-01&limit=1000`);
    expect(answer.statusCode).toBe(422);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(
      JSON.parse(answer.body!)
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
    ).toEqual(['/limit', '/signalId']);
    expect(JSON.parse((await get(`signalId=${SIGNAL}&signalId=${SIGNAL}`)).body!).errors[0].pointer).toBe('/signalId');
  });

  it('answers 401 without a key and 403 to a key without audit:read', async () => {
    expect((await get(`signalId=${SIGNAL}`, { verdict: 'unauthorized' })).statusCode).toBe(401);
    expect((await get(`signalId=${SIGNAL}`, { verdict: 'forbidden', scope: 'audit:read' })).statusCode).toBe(403);
    expect((await get(`signalId=${SIGNAL}`, { ...officer, scopes: 'statistics:read' })).statusCode).toBe(403);
  });
});
