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

describe('issuePartnerKey: a triage key bound to a province', () => {
  it('stores the province of a signals:triage key, and none for a key of the whole region', async () => {
    const store = memoryStore();
    const drenthe = await issuePartnerKey(store, { organisation: 'ZVH Drenthe', sourceType: 'overig', scopes: ['signals:triage'], province: 'DR' }, 'dev');
    expect(store.entries.get(drenthe.keyHash)).toMatchObject({ scopes: ['signals:triage'], region: 'noord-nederland', province: 'DR' });
    const region = await issuePartnerKey(store, { organisation: 'Ketenregisseur', sourceType: 'overig', scopes: ['signals:triage'] }, 'dev');
    expect(store.entries.get(region.keyHash)).not.toHaveProperty('province');
  });

  it("refuses a province outside the key's region, an unknown one, and one on a key without signals:triage", async () => {
    const store = memoryStore();
    const triage = { organisation: 'ZVH', sourceType: 'overig' as const, scopes: ['signals:triage'] };
    await expect(issuePartnerKey(store, { ...triage, province: 'NH' }, 'dev')).rejects.toThrow(/Geen provincie van noord-nederland/);
    await expect(issuePartnerKey(store, { ...triage, scopes: ['signals:write'], province: 'DR' }, 'dev')).rejects.toThrow(
      /alleen een sleutel met signals:triage/,
    );
    expect(store.entries.size).toBe(0);
  });
});

describe('issuePartnerKey: the source type', () => {
  it('is overig for a key that files no signals, as for the table and the privacy officer', async () => {
    const store = memoryStore();
    const table = await issuePartnerKey(store, { organisation: 'Drieluik Drenthe', scopes: ['signals:triage'], province: 'DR' }, 'dev');
    expect(store.entries.get(table.keyHash)).toMatchObject({ sourceType: 'overig', province: 'DR' });
    const officer = await issuePartnerKey(store, { organisation: 'Privacyfunctionaris', scopes: ['audit:read', 'privacy:erase'] }, 'dev');
    expect(store.entries.get(officer.keyHash)).toMatchObject({ sourceType: 'overig' });
  });

  it('is required for a key that files signals, since they count under it', async () => {
    const store = memoryStore();
    await expect(issuePartnerKey(store, { organisation: 'Gemeente Assen', scopes: ['signals:write'] }, 'dev')).rejects.toThrow(
      /telt zijn signalen onder een brontype/,
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

describe('issuePartnerKey: the organisation’s legal basis', () => {
  it('stores the legal basis given, none when none is given, and refuses one that does not exist', async () => {
    const store = memoryStore();
    const { keyHash } = await issuePartnerKey(
      store,
      { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'], legalBasis: 'meldcode' },
      'dev',
    );
    expect(store.entries.get(keyHash)).toMatchObject({ legalBasis: 'meldcode' });
    const without = await issuePartnerKey(store, { organisation: 'Gemeente Emmen', sourceType: 'gemeente', scopes: ['signals:write'] }, 'dev');
    expect(store.entries.get(without.keyHash)).not.toHaveProperty('legalBasis');
    await expect(
      issuePartnerKey(store, { organisation: 'X Y', sourceType: 'zorg', scopes: ['signals:write'], legalBasis: 'omdat-het-kan' as never }, 'dev'),
    ).rejects.toThrow(/legalBasis/);
    expect(store.entries.size).toBe(2);
  });
});
