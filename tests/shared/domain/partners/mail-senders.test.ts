import { describe, expect, it } from 'vitest';
import { findSender, type MailSender, senderEntryKey, senderEntryKeys } from '#domain/partners/index.js';

describe('mail sender entries', () => {
  it('keeps a domain as it is and an address only as its SHA-256', () => {
    expect(senderEntryKey({ domain: '@Assen.NL' })).toBe('domain#assen.nl');
    const key = senderEntryKey({ address: ' A.Jansen@Assen.nl ' });
    expect(key).toMatch(/^address#[0-9a-f]{64}$/);
    expect(key).toBe(senderEntryKey({ address: 'a.jansen@assen.nl' }));
  });

  it('looks an address up most specific first: the address, its domain, then parent domains', () => {
    const keys = senderEntryKeys('j.doe@noord-nederland.politie.nl');
    expect(keys.slice(1)).toEqual(['domain#noord-nederland.politie.nl', 'domain#politie.nl']);
  });

  it('finds the most specific entry that exists, and nothing for an unknown sender', async () => {
    const entries = new Map<string, MailSender>([
      ['domain#politie.nl', { organisation: 'Politie', sourceType: 'politie', region: 'noord-nederland' }],
      [senderEntryKey({ address: 'chef@politie.nl' }), { organisation: 'Politie, AVIM', sourceType: 'politie', region: 'noord-nederland' }],
    ]);
    const directory = { get: async (key: string) => entries.get(key) };
    expect((await findSender(directory, 'agent@noord.politie.nl'))?.organisation).toBe('Politie');
    expect((await findSender(directory, 'chef@politie.nl'))?.organisation).toBe('Politie, AVIM');
    expect(await findSender(directory, 'iemand@gmail.com')).toBeUndefined();
    expect(await findSender(directory, undefined)).toBeUndefined();
  });
});
