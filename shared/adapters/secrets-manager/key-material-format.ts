/**
 * The one format of a key, in a local file or in a Secrets Manager secret: `{ "keyId", "secret" }`,
 * the secret in base64. Secrets Manager generates an alphanumeric string, which is valid base64 too.
 */
export interface KeyMaterial {
  keyId: string;
  secret: Buffer;
}

export function newKeyMaterialJson(keyId: string, secret: Buffer): string {
  return JSON.stringify({ keyId, secret: secret.toString('base64') });
}

/** Parses a key; `exactBytes` for an AES key, otherwise at least 32 bytes (256 bits) for an HMAC key. */
export function parseKeyMaterial(text: string, source: string, exactBytes?: number): KeyMaterial {
  let parsed: { keyId?: unknown; secret?: unknown };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    throw new Error(`${source}: not JSON`);
  }
  const secret = typeof parsed.secret === 'string' ? Buffer.from(parsed.secret, 'base64') : Buffer.alloc(0);
  const sizeOk = exactBytes ? secret.length === exactBytes : secret.length >= 32;
  if (typeof parsed.keyId !== 'string' || !parsed.keyId || !sizeOk) {
    throw new Error(`${source}: expected a keyId and a ${exactBytes ? `${exactBytes}-byte` : 'base64 secret of at least 32 bytes'} secret`);
  }
  return { keyId: parsed.keyId, secret };
}
