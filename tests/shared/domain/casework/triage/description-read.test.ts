import { describe, expect, it } from 'vitest';
import { DescriptionQuerySchema, readDescription } from '#domain/casework/index.js';
import { DRENTHE_KEY, FREE_TEXT, personalSignal, ReadWorld } from './read-world.js';

async function world() {
  const w = new ReadWorld();
  const [withText, withoutText, groningen] = await w.add(
    await w.withDescription(personalSignal('anna')),
    personalSignal('bert'),
    await w.withDescription(personalSignal('cora', { municipality: 'GM0014', province: 'GR' })),
  );
  return { w, withText: withText!, withoutText: withoutText!, groningen: groningen! };
}

describe('readDescription', () => {
  it('decrypts the free text once the read and its purpose are in the audit log', async () => {
    const { w, withText } = await world();
    const read = await readDescription(withText.signalId, DRENTHE_KEY, 'Voorbereiding weegtafel 14 maart', w.ports);
    expect(read).toEqual({ ok: true, value: { signalId: withText.signalId, description: FREE_TEXT } });
    expect(w.audit.entries).toEqual([
      expect.objectContaining({
        action: 'description-read',
        signalId: withText.signalId,
        purpose: 'Voorbereiding weegtafel 14 maart',
        keyHash: DRENTHE_KEY.keyHash,
      }),
    ]);
    // The entry holds the purpose, never the text.
    expect(JSON.stringify(w.audit.entries)).not.toContain('Kerkstraat');
  });

  it('decrypts nothing when the look cannot be logged', async () => {
    const { w, withText } = await world();
    let unwrapped = 0;
    const dataKeys = {
      generateDataKey: () => w.dataKeys.generateDataKey(),
      decryptDataKey: async (id: string, key: Uint8Array) => {
        unwrapped++;
        return w.dataKeys.decryptDataKey(id, key);
      },
    };
    const busyLog = Object.assign(Object.create(w.audit), { append: async () => false });
    const read = await readDescription(withText.signalId, DRENTHE_KEY, 'Weegtafel', { ...w.ports, audit: busyLog, dataKeys });
    expect(read).toMatchObject({ ok: false, problem: { status: 503 } });
    expect(unwrapped).toBe(0);
  });

  it('answers a 404 of its own for a signal without text, and logs nothing: nothing was read', async () => {
    const { w, withoutText } = await world();
    expect(await readDescription(withoutText.signalId, DRENTHE_KEY, 'Weegtafel', w.ports)).toMatchObject({
      ok: false,
      problem: { status: 404, type: 'tag:meldroute.nl,2026:problem/no-description', detail: 'Deze melding heeft geen vrije tekst, of die is gewist.' },
    });
    expect(w.audit.entries).toEqual([]);
  });

  it('answers 404 outside the key area, and logs nothing', async () => {
    const { w, groningen } = await world();
    expect(await readDescription(groningen.signalId, DRENTHE_KEY, 'Weegtafel', w.ports)).toMatchObject({
      ok: false,
      problem: { status: 404, type: expect.stringMatching(/not-found$/) },
    });
    expect(w.audit.entries).toEqual([]);
  });
});

describe('DescriptionQuerySchema', () => {
  it('requires a purpose, in Dutch', () => {
    const missing = DescriptionQuerySchema.safeParse({});
    expect(missing.error?.issues[0]).toMatchObject({ path: ['purpose'], message: 'Geef het doel op: waarom deze inzage of handeling nodig is.' });
    expect(DescriptionQuerySchema.safeParse({ purpose: '  ' }).success).toBe(false);
  });

  it('refuses a purpose with a BSN or an e-mail address in it', () => {
    for (const purpose of ['Dossier 111222333', 'Mail van piet@voorbeeld.nl']) {
      const refused = DescriptionQuerySchema.safeParse({ purpose });
      expect(refused.error?.issues[0]?.message).toMatch(/Noem in het doel geen persoonsgegevens/);
    }
  });
});
