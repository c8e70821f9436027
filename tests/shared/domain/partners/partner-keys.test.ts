import { describe, expect, it } from 'vitest';
import { hashApiKey, issuePartnerKey, type Principal, revokePartnerKey } from '#domain/partners/index.js';

function memoryStore() {
  const entries = new Map<string, Principal & { revoked?: boolean }>();
  return {
    entries,
    put: async (hash: string, principal: Principal) => void entries.set(hash, principal),
    revoke: async (hash: string) => void entries.set(hash, { ...entries.get(hash)!, revoked: true }),
  };
}

describe('issuePartnerKey', () => {
  it('stores only the hash of a fresh prefixed key, with the default region', async () => {
    const store = memoryStore();
    const { key, keyHash } = await issuePartnerKey(store, { organisation: 'GGD Drenthe', sourceType: 'zorg', scopes: ['signals:write'] }, 'dev');
    expect(key).toMatch(/^mr_dev_[A-Za-z0-9_-]{43}$/);
    expect(keyHash).toBe(hashApiKey(key));
    expect([...store.entries.keys()]).toEqual([keyHash]);
    expect(store.entries.get(keyHash)).toEqual({ organisation: 'GGD Drenthe', sourceType: 'zorg', scopes: ['signals:write'], region: 'noord-nederland' });
  });

  it('refuses an unknown source type, scope or region before storing anything', async () => {
    const store = memoryStore();
    await expect(issuePartnerKey(store, { organisation: 'X Y', sourceType: 'bakker' as never, scopes: ['signals:write'] }, 'dev')).rejects.toThrow(
      /sourceType/,
    );
    await expect(issuePartnerKey(store, { organisation: 'X Y', sourceType: 'zorg', scopes: ['alles'] }, 'dev')).rejects.toThrow(/scopes/);
    await expect(issuePartnerKey(store, { organisation: 'X Y', sourceType: 'zorg', scopes: ['signals:write'], region: 'mars' }, 'dev')).rejects.toThrow(
      /region/,
    );
    expect(store.entries.size).toBe(0);
  });
});

describe('revokePartnerKey', () => {
  it('revokes by the key itself or by its hash', async () => {
    const store = memoryStore();
    const { key, keyHash } = await issuePartnerKey(store, { organisation: 'GGD Drenthe', sourceType: 'zorg', scopes: ['signals:write'] }, 'dev');
    expect(await revokePartnerKey(store, key)).toBe(keyHash);
    expect(await revokePartnerKey(store, keyHash)).toBe(keyHash);
    expect(store.entries.get(keyHash)!.revoked).toBe(true);
  });
});
