import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/openapi/document.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires real clients at load; the refusal answers before any of them is called.
stubHandlerEnvironment({
  SIGNAL_QUEUE_URL: 'http://localhost/queue',
  INTAKE_CLAIMS_TABLE: 'claims',
  PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:000000000000:secret:pseudonym',
  ENVELOPE_KEY_ARN: 'arn:aws:kms:eu-central-1:000000000000:key/envelope',
});
const { handler } = await import('../../../functions/signals-intake/handler.js');

const partner = { verdict: 'allow', organisation: 'Gemeente Emmen', sourceType: 'gemeente', region: 'noord-nederland', scopes: 'signals:write' };
const post = async (body: object) =>
  (await handler(
    apiEvent({ method: 'POST', path: '/v1/signals', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), verdict: partner }),
    lambdaContext('signals-intake', 'eu-central-1'),
  )) as { statusCode: number; headers: Record<string, string>; body: string };

describe('POST /v1/signals with a sourceType', () => {
  it('answers a key without signals:source 422 problem+json in Dutch, pointing at /sourceType', async () => {
    const answer = await post({ observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid', sourceType: 'politie' });
    expect(answer.statusCode).toBe(422);
    expect(answer.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(answer.body)).toMatchObject({
      status: 422,
      title: 'Ongeldige invoer',
      errors: [{ pointer: '/sourceType', detail: expect.stringMatching(/^Deze sleutel mag de bron van een signaal niet opgeven: .*signals:source/) }],
    });
  });

  it('is documented in the OpenAPI document from the schema: the source types and a Dutch description', () => {
    const doc = openApiDocument() as { components: { schemas: Record<string, { properties: Record<string, { enum?: string[]; description?: string }> }> } };
    for (const component of ['SignalInput', 'SignalBatch']) expect(JSON.stringify(doc.components.schemas[component])).toContain('signals:source');
    const sourceType = doc.components.schemas.SignalInput!.properties.sourceType!;
    expect(sourceType.enum).toEqual(expect.arrayContaining(['gemeente', 'politie', 'marechaussee', 'veilig-thuis', 'onbekend']));
    expect(sourceType.description).toMatch(/^Van wie het signaal komt/);
  });
});
