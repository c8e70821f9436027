import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../../functions/openapi/document.js';
import { type HttpRoute, httpRoutes, routeKeyOf } from '../../../functions/routes.js';

describe('openApiDocument', () => {
  const doc = openApiDocument() as any;

  it('describes the routes of contract v1 as OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/v1/signals', '/v1/signals/{signalId}', '/v1/statistics', '/v1/web/signals', '/v1/openapi.json']),
    );
    expect(Object.keys(doc.paths['/v1/signals'].post.responses)).toEqual(['202', '400', '401', '403', '409', '413', '415', '422', '503']);
  });

  it('has exactly the operations of the route list: none missing, none extra', () => {
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(httpRoutes.map(routeKeyOf).sort());
  });

  it('fails the other way round too: a route added to the list appears in the document', () => {
    const extra: HttpRoute = {
      method: 'GET',
      path: '/v1/extra',
      functionName: 'openapi',
      permission: 'statistics:read',
      summary: 'Extra',
      responses: { 200: { description: 'x' } },
    };
    const withExtra = openApiDocument([...httpRoutes, extra]) as any;
    expect(Object.keys(withExtra.paths['/v1/extra'].get.responses)).toEqual(['200', '401', '403', '503']);
  });

  it("states each route's body limit and media types from the route itself", () => {
    for (const route of httpRoutes.filter((r) => r.body)) {
      const op = doc.paths[route.path][route.method.toLowerCase()];
      expect(op.responses['413'].description).toBe(`Groter dan ${route.body!.maxBytes / 1024} KB.`);
      expect(Object.keys(op.requestBody.content)).toEqual([...route.body!.mediaTypes]);
    }
  });

  it('describes the public meldformulier route without security, from the web schema', () => {
    const web = doc.paths['/v1/web/signals'].post;
    expect(web.security).toEqual([]);
    expect(Object.keys(web.responses)).toEqual(['200', '202', '400', '413', '415', '422', '429', '503']);
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

  it('lists the statistics query parameters: a year or a period, a cross table, a format, routes to leave out and a table', () => {
    const params = doc.paths['/v1/statistics'].get.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]);
    expect(params).toEqual([
      ['If-None-Match', 'header', false],
      ['region', 'query', false],
      ['year', 'query', false],
      ['from', 'query', false],
      ['to', 'query', false],
      ['province', 'query', false],
      ['municipality', 'query', false],
      ['cross', 'query', false],
      ['format', 'query', false],
      ['excludeRoute', 'query', false],
      ['table', 'query', false],
    ]);
    const exclude = doc.paths['/v1/statistics'].get.parameters.find((p: { name: string }) => p.name === 'excludeRoute');
    expect(exclude.schema).toMatchObject({ type: 'string', example: 'riec' });
    const cross = doc.paths['/v1/statistics'].get.parameters.find((p: { name: string }) => p.name === 'cross');
    expect(cross.schema.enum).toEqual(['municipality,form', 'month,form', 'sourceType,form', 'province,form', 'exploitationMunicipality,form', 'year,form']);
  });

  it('states that statistics answer JSON or CSV with an ETag, 304 when unchanged and 406 for another format', () => {
    const responses = doc.paths['/v1/statistics'].get.responses;
    expect(Object.keys(responses)).toEqual(['200', '304', '401', '403', '406', '422', '503']);
    expect(Object.keys(responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(Object.keys(responses['200'].headers)).toEqual(expect.arrayContaining(['ETag', 'Cache-Control', 'Content-Disposition']));
    expect(responses['304'].content).toBeUndefined();
    expect(Object.keys(responses['304'].headers)).toContain('ETag');
    expect(responses['406'].content).toHaveProperty('application/problem+json');
    const statistics = doc.components.schemas.Statistics;
    expect(statistics.required).toEqual(
      expect.arrayContaining(['from', 'to', 'byYear', 'previousYear', 'updatedAt', 'byExploitationMunicipality', 'byMinors']),
    );
    expect(statistics.required).not.toContain('year');
  });
});
