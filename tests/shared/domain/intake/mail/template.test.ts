import { describe, expect, it } from 'vitest';
import { readTemplate } from '#domain/intake/mail/index.js';

describe('readTemplate', () => {
  it('reads the keys on their own lines, in any case, with "Vorm:" as short for "Vorm van uitbuiting:"', () => {
    const { found, values } = readTemplate('GEMEENTE: Assen\nvorm: arbeid\nSoort : casus\nbsn:123');
    expect(found).toBe(true);
    expect(values).toEqual({ municipality: 'Assen', form: 'arbeid', signalType: 'casus', bsn: '123' });
  });

  it('lets "Toelichting:" run over the following lines until the next key', () => {
    const { values } = readTemplate('Toelichting: Eerste regel\ntweede regel\n\nderde alinea\nSector: horeca');
    expect(values.description).toBe('Eerste regel\ntweede regel\n\nderde alinea');
    expect(values.sector).toBe('horeca');
  });

  it('stops at the signature, so a phone number there is not taken for the person concerned', () => {
    const { values } = readTemplate('Gemeente: Emmen\nToelichting: zie boven\n\nMet vriendelijke groet,\nPiet\nTelefoon: 050-1234567');
    expect(values).toEqual({ municipality: 'Emmen', description: 'zie boven' });
    expect(readTemplate('Gemeente: Emmen\n-- \nTelefoon: 0612345678').values.phone).toBeUndefined();
  });

  it('reads a quoted template and skips the header block of a forwarded message', () => {
    const text =
      '> ---------- Doorgestuurd bericht ---------\n> Van: Jan <jan@example.nl>\n> Datum: di 14 mrt 2023\n> Onderwerp: signaal\n>\n> Gemeente: Assen\n> Datum: 1 maart 2023';
    expect(readTemplate(text).values).toEqual({ municipality: 'Assen', observedAt: '1 maart 2023' });
  });

  it('keeps the first of a key that comes twice', () => {
    expect(readTemplate('Gemeente: Assen\nGemeente: Emmen').values.municipality).toBe('Assen');
  });

  it('is no template when only a date or a telephone line is there, as in a signature', () => {
    expect(readTemplate('Hallo,\nik zag iets.\nTelefoon: 0612345678\nDatum: 1-1-2024').found).toBe(false);
    expect(readTemplate('Gewoon een bericht zonder sleutels.').found).toBe(false);
  });
});
