import { findOwnSignal, signalView } from '#domain/signal/index.js';
import { signalStore } from '../lib/dependencies.js';
import { jsonResponse, problemResponse } from '../lib/http.js';
import { authenticatedHandler } from '../lib/middleware.js';
import { signalIdOf, signalNotFound } from '../lib/signal-path.js';
import { signalStatusRoute as route } from '../routes.js';

const store = signalStore();

/** GET /v1/signals/{signalId}: where a filed signal stands (the 202's Location). */
export const handler = authenticatedHandler(route, async (event, principal) => {
  const signalId = signalIdOf(event);
  const signal = signalId && (await findOwnSignal(signalId, principal, store));
  if (!signal) return problemResponse(signalNotFound());
  return jsonResponse(200, signalView(signal), { 'cache-control': 'no-store' });
});
