/**
 * The one format of a key, in a local file or in a Secrets Manager secret: `{ "keyId", "secret" }`,
 * the secret in base64. Secrets Manager generates an alphanumeric string, which is valid base64 too.
 * A pseudonymisation key that was rotated keeps its predecessors in `previous`, for matching only.
 */
export interface KeyMaterial {
  keyId: string;
  secret: Buffer;
  previous?: KeyMaterial[];
}

export function newKeyMaterialJson(keyId: string, secret: Buffer, previous: KeyMaterial[] = []): string {
  const encode = (k: KeyMaterial) => ({ keyId: k.keyId, secret: k.secret.toString('base64') });
  return JSON.stringify({ ...encode({ keyId, secret }), ...(previous.length > 0 && { previous: previous.map(encode) }) });
}

/** Parses a key; `exactBytes` for an AES key, otherwise at least 32 bytes (256 bits) for an HMAC key. */
export function parseKeyMaterial(text: string, source: string, exactBytes?: number): KeyMaterial {
  let parsed: { keyId?: unknown; secret?: unknown; previous?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`${source}: not JSON`);
  }
  return checkedKey(parsed, source, exactBytes);
}

function checkedKey(parsed: { keyId?: unknown; secret?: unknown; previous?: unknown }, source: string, exactBytes?: number): KeyMaterial {
  const secret = typeof parsed.secret === 'string' ? Buffer.from(parsed.secret, 'base64') : Buffer.alloc(0);
  const sizeOk = exactBytes ? secret.length === exactBytes : secret.length >= 32;
  if (typeof parsed.keyId !== 'string' || !parsed.keyId || !sizeOk) {
    throw new Error(`${source}: expected a keyId and a ${exactBytes ? `${exactBytes}-byte` : 'base64 secret of at least 32 bytes'} secret`);
  }
  if (parsed.previous !== undefined && !Array.isArray(parsed.previous)) throw new Error(`${source}: previous must be a list of keys`);
  const previous = ((parsed.previous as (typeof parsed)[] | undefined) ?? []).map((p) => checkedKey(p ?? {}, `${source} (previous)`, exactBytes));
  return { keyId: parsed.keyId, secret, ...(previous.length > 0 && { previous }) };
}
