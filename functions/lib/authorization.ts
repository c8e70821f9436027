import { type Problem, problem } from '#domain/kernel/index.js';
import { type ApiKeyStore, hashApiKey, type Principal } from '#domain/partners/index.js';

/**
 * What the Lambda authorizer hands the route's handler (API Gateway passes it as
 * requestContext.authorizer.lambda). The authorizer lets every request through with a verdict, and the
 * handler answers a refusal: HTTP API cannot give its own 401 or 403 a problem+json body, and the
 * contract promises one.
 */
export type AuthorizerContext =
  | {
      verdict: 'allow';
      organisation: string;
      sourceType: string;
      region: string;
      scopes: string;
      keyHash: string;
      province?: string;
      legalBasis?: string;
    }
  | { verdict: 'unauthorized' }
  | { verdict: 'forbidden'; scope: string };

/** The key from `Authorization: Bearer` or `X-Api-Key`; headers as API Gateway gives them, in lower case. */
export function apiKeyFrom(headers: Record<string, string | undefined>): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '')?.[1];
  return bearer ?? headers['x-api-key'];
}

/** The authorizer's check: a known key (by its hash only) that holds the route's scope. */
export async function authorize(key: string | undefined, scope: string, keys: ApiKeyStore): Promise<AuthorizerContext> {
  const keyHash = key ? hashApiKey(key) : undefined;
  const principal = keyHash ? await keys.findByHash(keyHash) : undefined;
  if (!keyHash || !principal) return { verdict: 'unauthorized' };
  if (!principal.scopes.includes(scope)) return { verdict: 'forbidden', scope };
  const { organisation, sourceType, region, scopes, province, legalBasis } = principal;
  // The key's hash travels on for the audit log (which names a key only by it); the key itself never does.
  return {
    verdict: 'allow',
    organisation,
    sourceType,
    region,
    scopes: scopes.join(' '),
    keyHash,
    ...(province && { province }),
    ...(legalBasis && { legalBasis }),
  };
}

/** The handler's side: the principal, or the problem to answer. It checks the scope again, cheaply. */
export function principalFrom(context: unknown, scope: string): { principal: Principal } | { problem: Problem; headers: Record<string, string> } {
  const verdict = context as Partial<Record<string, string>> | undefined;
  const scopes = verdict?.verdict === 'allow' ? (verdict.scopes ?? '').split(' ') : [];
  if (verdict?.verdict === 'forbidden' || (verdict?.verdict === 'allow' && !scopes.includes(scope))) {
    return { problem: problem(403, 'forbidden', 'Geen toegang', `Deze sleutel heeft niet het recht ${scope}.`), headers: {} };
  }
  if (verdict?.verdict !== 'allow' || !verdict.organisation || !verdict.sourceType || !verdict.region) {
    return {
      problem: problem(401, 'unauthorized', 'Niet geautoriseerd', 'Geef een geldige sleutel mee in Authorization: Bearer <sleutel> of X-Api-Key.'),
      headers: { 'www-authenticate': 'Bearer realm="meldroute"' },
    };
  }
  const { organisation, sourceType, region, keyHash, province, legalBasis } = verdict;
  // The legal basis was checked when the key was made; intake checks it once more before it enters a record.
  const basis = legalBasis as Principal['legalBasis'];
  return {
    principal: { organisation, sourceType, region, scopes, ...(keyHash && { keyHash }), ...(province && { province }), ...(basis && { legalBasis: basis }) },
  };
}
