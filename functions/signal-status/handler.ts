import { findOwnSignal, signalView } from '../../shared/domain/correction.js';
import { apiKeyStore, signalStore } from '../lib/dependencies.js';
import { authenticate, jsonResponse, problemResponse } from '../lib/http.js';
import { httpHandler } from '../lib/middleware.js';
import { signalIdOf, signalNotFound } from '../lib/signal-path.js';

const keys = apiKeyStore();
const store = signalStore();

/** GET /v1/signals/{signalId}: where a filed signal stands (the 202's Location). */
export const handler = httpHandler(async (event) => {
  const auth = await authenticate(event, keys, 'signals:write');
  if ('problem' in auth) return problemResponse(auth.problem, auth.headers);
  const signalId = signalIdOf(event);
  const signal = signalId && (await findOwnSignal(signalId, auth.principal, store));
  if (!signal) return problemResponse(signalNotFound());
  return jsonResponse(200, signalView(signal), { 'cache-control': 'no-store' });
});
