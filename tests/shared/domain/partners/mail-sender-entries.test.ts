import { describe, expect, it } from 'vitest';
import { type MailSender, registerMailSender, removeMailSender, senderEntryKey } from '#domain/partners/index.js';

function memoryStore() {
  const entries = new Map<string, MailSender>();
  return { entries, put: async (k: string, s: MailSender) => void entries.set(k, s), remove: async (k: string) => entries.delete(k) };
}

describe('registerMailSender', () => {
  it('registers a domain as it is, with the default region and an optional province', async () => {
    const store = memoryStore();
    await registerMailSender(store, { domain: 'Assen.nl', organisation: 'Gemeente Assen', sourceType: 'gemeente', province: 'DR' });
    expect(store.entries.get('domain#assen.nl')).toEqual({ organisation: 'Gemeente Assen', sourceType: 'gemeente', region: 'noord-nederland', province: 'DR' });
  });

  it('stores an address only under its hash', async () => {
    const store = memoryStore();
    const { entryKey } = await registerMailSender(store, { address: 'a.jansen@assen.nl', organisation: 'Gemeente Assen', sourceType: 'gemeente' });
    expect(entryKey).toBe(senderEntryKey({ address: 'a.jansen@assen.nl' }));
    expect(JSON.stringify([...store.entries])).not.toContain('jansen');
  });

  it('refuses both or neither of address and domain, an unknown source type and a province of no region', async () => {
    const store = memoryStore();
    const base = { organisation: 'X Y', sourceType: 'zorg' as const };
    await expect(registerMailSender(store, base)).rejects.toThrow(/adres of een domein/);
    await expect(registerMailSender(store, { ...base, domain: 'a.nl', address: 'b@a.nl' })).rejects.toThrow(/adres of een domein/);
    await expect(registerMailSender(store, { ...base, domain: 'a.nl', sourceType: 'bakker' as never })).rejects.toThrow(/sourceType/);
    await expect(registerMailSender(store, { ...base, domain: 'a.nl', province: 'UT' as never })).rejects.toThrow(/province/);
    expect(store.entries.size).toBe(0);
  });

  it('removes an entry and says whether there was one', async () => {
    const store = memoryStore();
    await registerMailSender(store, { domain: 'assen.nl', organisation: 'Gemeente Assen', sourceType: 'gemeente' });
    expect((await removeMailSender(store, { domain: 'assen.nl' })).removed).toBe(true);
    expect((await removeMailSender(store, { domain: 'assen.nl' })).removed).toBe(false);
  });
});

describe('registerMailSender: the organisation’s legal basis', () => {
  it('stores the legal basis given, and refuses one that does not exist', async () => {
    const store = memoryStore();
    await registerMailSender(store, { domain: 'politie.nl', organisation: 'Politie Drenthe', sourceType: 'politie', legalBasis: 'wettelijke-taak' });
    expect(store.entries.get('domain#politie.nl')).toEqual({
      organisation: 'Politie Drenthe',
      sourceType: 'politie',
      region: 'noord-nederland',
      legalBasis: 'wettelijke-taak',
    });
    await expect(registerMailSender(store, { domain: 'a.nl', organisation: 'X Y', sourceType: 'zorg', legalBasis: 'zomaar' as never })).rejects.toThrow(
      /legalBasis/,
    );
  });
});
