import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/openapi/document.js';

describe('openApiDocument', () => {
  const doc = openApiDocument() as any;

  it('describes the routes of contract v1 as OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(['/v1/signals', '/v1/signals/{signalId}', '/v1/statistics', '/v1/web/signals']);
    expect(Object.keys(doc.paths['/v1/signals'].post.responses)).toEqual(['202', '400', '401', '403', '409', '413', '415', '422']);
  });

  it('describes the public meldformulier route without security, from the web schema', () => {
    const web = doc.paths['/v1/web/signals'].post;
    expect(web.security).toEqual([]);
    expect(Object.keys(web.responses)).toEqual(['202', '413', '422', '429']);
    const schema = doc.components.schemas.WebSignal;
    expect(schema.required).toEqual(expect.arrayContaining(['reporterType', 'description', 'municipality', 'observedAt', 'form', 'minorsSuspected']));
    expect(schema.properties.municipality.enum).toHaveLength(41);
  });

  it('takes its signal schema from the validating zod schema: same fields, enums and strictness', () => {
    const input = doc.components.schemas.SignalInput;
    expect(input.required).toEqual(['observedAt', 'municipality', 'form']);
    expect(input.additionalProperties).toBe(false);
    expect(input.properties.municipality.enum).toHaveLength(41);
    expect(input.properties.form.enum).toEqual(['seksueel', 'arbeid', 'crimineel', 'orgaanverwijdering', 'onbekend']);
    expect(input.properties.description.maxLength).toBe(10_000);
  });

  it('lists the statistics query parameters with year required', () => {
    const params = doc.paths['/v1/statistics'].get.parameters.map((p: { name: string; required: boolean }) => [p.name, p.required]);
    expect(params).toEqual([['region', false], ['year', true], ['province', false], ['municipality', false]]);
  });
});
