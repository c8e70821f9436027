import * as z from 'zod/mini';
import { SignalCorrectionSchema, SignalViewSchema, SignalInputSchema } from '#domain/signal/index.js';
import { ProblemSchema } from '#domain/kernel/index.js';
import { StatisticsQuerySchema, StatisticsSchema } from '#domain/statistics/index.js';
import { WebSignalSchema } from '#domain/intake/web/index.js';

export const SignalAcceptedSchema = z.object({ signalId: z.uuid(), status: z.literal('received') });
export const WebSignalAcceptedSchema = z.object({ reference: z.string().check(z.regex(/^MR-[0-9A-F]{4}-[0-9A-F]{4}$/)) });

const schema = (s: z.core.$ZodType, io: 'input' | 'output' = 'output') => {
  const { $schema: _, ...json } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return json;
};

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests. */
export function openApiDocument(): Record<string, unknown> {
  const query = schema(StatisticsQuerySchema, 'input') as { properties: Record<string, object>; required: string[] };
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
      schemas: {
        SignalInput: schema(SignalInputSchema, 'input'),
        SignalAccepted: schema(SignalAcceptedSchema),
        SignalCorrection: schema(SignalCorrectionSchema, 'input'),
        SignalView: schema(SignalViewSchema),
        Statistics: schema(StatisticsSchema),
        Problem: schema(ProblemSchema),
        WebSignal: schema(WebSignalSchema, 'input'),
        WebSignalAccepted: schema(WebSignalAcceptedSchema),
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/v1/signals': {
        post: {
          summary: 'Een signaal melden (scope signals:write)',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 } }],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalInput' } } } },
          responses: {
            '202': {
              description: 'Ontvangen; wordt verwerkt.',
              headers: { Location: { schema: { type: 'string' } } },
              content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalAccepted' } } },
            },
            '400': problem('Geen geldige JSON.'),
            '401': problem('Geen of onbekende sleutel.'),
            '403': problem('Sleutel zonder scope signals:write.'),
            '409': problem('Idempotency-Key of externalId al gebruikt voor een andere melding.'),
            '413': problem('Groter dan 64 KB.'),
            '415': problem('Geen application/json.'),
            '422': problem('Ongeldige waarden; elk fout veld genoemd.'),
          },
        },
      },
      '/v1/signals/{signalId}': {
        parameters: [{ name: 'signalId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        get: {
          summary: 'Stand van een eigen melding (scope signals:write)',
          responses: {
            '200': { description: 'De melding, zonder persoonsgegevens.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalView' } } } },
            '401': problem('Geen of onbekende sleutel.'),
            '403': problem('Sleutel zonder scope signals:write.'),
            '404': problem('Onbekend, van een andere organisatie, of nog niet verwerkt.'),
          },
        },
        patch: {
          summary: 'Classificatie corrigeren of de melding intrekken (scope signals:write)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalCorrection' } } } },
          responses: {
            '200': { description: 'Gecorrigeerd; de cijfers schuiven mee.', content: { 'application/json': { schema: { $ref: '#/components/schemas/SignalView' } } } },
            '400': problem('Geen geldige JSON.'),
            '401': problem('Geen of onbekende sleutel.'),
            '403': problem('Sleutel zonder scope signals:write.'),
            '404': problem('Onbekend of van een andere organisatie.'),
            '409': problem('Tegelijk gewijzigd.'),
            '413': problem('Groter dan 4 KB.'),
            '415': problem('Geen application/json.'),
            '422': problem('Ongeldige waarden.'),
          },
        },
      },
      '/v1/statistics': {
        get: {
          summary: 'Actuele cijfers (scope statistics:read)',
          parameters: Object.entries(query.properties).map(([name, s]) => ({ name, in: 'query', required: query.required.includes(name), schema: s })),
          responses: {
            '200': { description: 'De cijfers.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Statistics' } } } },
            '401': problem('Geen of onbekende sleutel.'),
            '403': problem('Sleutel zonder scope statistics:read.'),
            '422': problem('Ongeldige zoekparameters.'),
          },
        },
      },
      '/v1/web/signals': {
        post: {
          summary: 'Het openbare meldformulier (zonder sleutel); ook als gewoon formulier (application/x-www-form-urlencoded, antwoord in HTML)',
          security: [],
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/WebSignal' } },
              'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/WebSignal' } },
            },
          },
          responses: {
            '202': { description: 'Ontvangen, met een referentienummer.', content: { 'application/json': { schema: { $ref: '#/components/schemas/WebSignalAccepted' } } } },
            '413': problem('Groter dan 16 KB.'),
            '422': problem('Een of meer velden kloppen niet.'),
            '429': problem('Te veel meldingen vanaf dit adres; zie Retry-After.'),
          },
        },
      },
    },
  };
}
