import * as z from 'zod/mini';
import { ProblemSchema } from '#domain/kernel/index.js';
import { type HttpRoute, httpRoutes } from '../routes.js';

type Json = Record<string, unknown>;

const jsonSchema = (s: z.core.$ZodType, io: 'input' | 'output') => {
  const { $schema: _, ...json } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Json;
  return json;
};

const ref = (component: string) => ({ $ref: `#/components/schemas/${component}` });

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** The problems every route of its kind answers, beside those the route names itself. */
function problemsOf(route: HttpRoute): Record<number, string> {
  const problems: Record<number, string> = {};
  if (route.permission) {
    problems[401] = 'Geen of onbekende sleutel.';
    problems[403] = `Sleutel zonder scope ${route.permission}.`;
  }
  if (route.body) {
    problems[400] = 'Geen geldige UTF-8, geen geldige JSON of geen object, of een veld dubbel.';
    problems[413] = `Groter dan ${route.body.maxBytes / 1024} KB.`;
    problems[415] = `Geen ${route.body.mediaTypes.join(' of ')}, of een andere tekenset dan UTF-8.`;
    problems[422] = 'Ongeldige waarden; elk fout veld genoemd.';
  }
  if (route.query) problems[422] = 'Ongeldige zoekparameters; elke foute parameter genoemd.';
  // A route that reads or writes data answers 503 when DynamoDB or SQS does not answer in time.
  if (route.permission || route.body) problems[503] = 'Tijdelijk niet beschikbaar; probeer het opnieuw na Retry-After seconden.';
  return { ...problems, ...route.problems };
}

function operation(route: HttpRoute): Json {
  const parameters: Json[] = [];
  for (const [name, format] of Object.entries(route.pathParameters ?? {})) {
    parameters.push({ name, in: 'path', required: true, schema: { type: 'string', format } });
  }
  for (const h of route.headers ?? []) parameters.push({ name: h.name, in: 'header', required: false, schema: { type: 'string', maxLength: h.maxLength } });
  if (route.query) {
    const query = jsonSchema(route.query, 'input') as { properties: Record<string, object>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties))
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
  }

  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content: Json = {};
    if (r.component) content['application/json'] = { schema: ref(r.component) };
    if (r.alsoAs) content[r.alsoAs] = { schema: { type: 'string' } };
    responses[status] = {
      description: r.description,
      ...(r.headers && { headers: Object.fromEntries(r.headers.map((h) => [h, { schema: { type: 'string' } }])) }),
      ...(Object.keys(content).length > 0 && { content }),
    };
  }
  for (const [status, description] of Object.entries(problemsOf(route))) responses[status] = problem(description);

  return {
    summary: route.permission ? `${route.summary} (scope ${route.permission})` : route.summary,
    ...(route.permission === null && { security: [] }),
    ...(parameters.length > 0 && { parameters }),
    ...(route.body && {
      requestBody: { required: true, content: Object.fromEntries(route.body.mediaTypes.map((m) => [m, { schema: ref(route.body!.component) }])) },
    }),
    // Numeric keys are iterated in ascending order, so the statuses read from 2xx to 4xx.
    responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
  };
}

/** Every schema the routes name, by component name; a name used twice must name the same schema. */
function components(routes: readonly HttpRoute[]): Record<string, Json> {
  const named = new Map<string, { schema: z.core.$ZodType; io: 'input' | 'output' }>();
  const add = (component: string | undefined, schema: z.core.$ZodType | undefined, io: 'input' | 'output') => {
    if (!component || !schema) return;
    const known = named.get(component);
    if (known && known.schema !== schema) throw new Error(`component ${component} names two schemas`);
    named.set(component, { schema, io });
  };
  for (const route of routes) {
    add(route.body?.component, route.body?.schema, 'input');
    for (const r of Object.values(route.responses)) add(r.component, r.schema, 'output');
  }
  add('Problem', ProblemSchema, 'output');
  return Object.fromEntries([...named].map(([name, { schema, io }]) => [name, jsonSchema(schema, io)]));
}

/** The OpenAPI 3.1 document, generated from the route list and the same zod schemas that validate the requests. */
export function openApiDocument(routes: readonly HttpRoute[] = httpRoutes): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Meldroute',
      version: '1.0.0',
      description: 'Signalen van mensenhandel melden en de actuele cijfers per gemeente, provincie, vorm, bron en periode opvragen.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: components(routes),
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths,
  };
}
