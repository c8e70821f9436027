/**
 * The HTTP routes and the event-driven functions, named once: the local runner serves exactly these,
 * and the infrastructure deploys exactly these.
 */
export const httpRoutes = [
  { method: 'POST', path: '/v1/signals', functionName: 'signals-intake' },
  { method: 'GET', path: '/v1/signals/{signalId}', functionName: 'signal-status' },
  { method: 'PATCH', path: '/v1/signals/{signalId}', functionName: 'signal-correction' },
  { method: 'GET', path: '/v1/statistics', functionName: 'statistics' },
  { method: 'GET', path: '/v1/openapi.json', functionName: 'openapi' },
] as const;

export const functionEntries = {
  'signals-intake': 'functions/signals-intake/handler.ts',
  'signal-status': 'functions/signal-status/handler.ts',
  'signal-correction': 'functions/signal-correction/handler.ts',
  statistics: 'functions/statistics/handler.ts',
  'signal-consumer': 'functions/signal-consumer/handler.ts',
  aggregator: 'functions/aggregator/handler.ts',
  openapi: 'functions/openapi/handler.ts',
} as const;

export type FunctionName = keyof typeof functionEntries;
