import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { validationErrors } from '#domain/kernel/index.js';
import { SignalInputSchema } from '#domain/signal/index.js';

const valid = { observedAt: '2023-03-14', municipality: 'GM0114', form: 'arbeid' };
const errorsOf = (input: unknown) => {
  const result = SignalInputSchema.safeParse(input);
  return result.success ? [] : validationErrors(result.error);
};

describe('SignalInputSchema', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-11-23T12:00:00Z'), toFake: ['Date'] }));
  afterEach(() => vi.useRealTimers());

  it('accepts a minimal signal and defaults its type to melding', () => {
    expect(SignalInputSchema.parse(valid)).toEqual({ ...valid, signalType: 'melding' });
  });

  it('accepts a full signal with a subject', () => {
    const full = {
      ...valid,
      externalId: 'REF-1',
      province: 'DR',
      exploitationMunicipality: 'GM0106',
      additionalForms: ['crimineel'],
      signalType: 'casus',
      subject: { name: 'Anna Kowalska', dateOfBirth: '2006-05-01', bsn: '1112.22.333', phone: '06 12345678', email: 'A@x.nl', gender: 'v', nationality: 'PL' },
      sector: 'vleesverwerking',
      description: 'Werkt zeven dagen per week.',
    };
    expect(SignalInputSchema.parse(full).subject!.bsn).toBe('111222333');
  });

  it('refuses an unknown municipality code, naming the field', () => {
    expect(errorsOf({ ...valid, municipality: 'GM9999' })).toEqual([{ pointer: '/municipality', detail: expect.stringContaining('Onbekende gemeentecode') }]);
  });

  it('accepts onbekend as municipality, with or without a province', () => {
    expect(errorsOf({ ...valid, municipality: 'onbekend' })).toEqual([]);
    expect(errorsOf({ ...valid, municipality: 'onbekend', province: 'FR' })).toEqual([]);
  });

  it('refuses a province that disagrees with the municipality', () => {
    expect(errorsOf({ ...valid, province: 'GR' })).toEqual([{ pointer: '/province', detail: expect.stringContaining('Emmen ligt in provincie DR') }]);
  });

  it('refuses a BSN that fails the elfproef', () => {
    expect(errorsOf({ ...valid, subject: { bsn: '123456789' } })).toEqual([{ pointer: '/subject/bsn', detail: 'Dit BSN klopt niet (elfproef).' }]);
  });

  it('refuses a date in the future, before 2000, or that does not exist', () => {
    expect(errorsOf({ ...valid, observedAt: '2026-11-24' })[0]?.detail).toBe('De datum ligt in de toekomst.');
    expect(errorsOf({ ...valid, observedAt: '1999-12-31' })[0]?.detail).toBe('De datum ligt voor 2000.');
    expect(errorsOf({ ...valid, observedAt: '2023-02-30' })[0]?.pointer).toBe('/observedAt');
    expect(errorsOf({ ...valid, observedAt: '14-03-2023' })[0]?.pointer).toBe('/observedAt');
  });

  it('refuses a birth date after the date of the signal', () => {
    expect(errorsOf({ ...valid, subject: { dateOfBirth: '2023-03-15' } })).toEqual([
      { pointer: '/subject/dateOfBirth', detail: 'De geboortedatum ligt na de datum van het signaal.' },
    ]);
  });

  it('accepts today in the Netherlands', () => {
    expect(errorsOf({ ...valid, observedAt: '2026-11-23' })).toEqual([]);
  });

  it('refuses unknown fields rather than ignoring them, one entry per field', () => {
    expect(errorsOf({ ...valid, naam: 'x', subject: { bsn: '111222333', adres: 'y' } })).toEqual([
      { pointer: '/subject/adres', detail: expect.stringContaining('Onbekend veld') },
      { pointer: '/naam', detail: expect.stringContaining('Onbekend veld') },
    ]);
  });

  it('refuses a phone number, e-mail address or nationality that is not one', () => {
    const pointers = errorsOf({ ...valid, subject: { phone: '12', email: 'geen-adres', nationality: 'XX' } }).map((e) => e.pointer);
    expect(pointers).toEqual(['/subject/phone', '/subject/email', '/subject/nationality']);
  });

  it('takes as nationality only an officially assigned ISO 3166-1 alpha-2 code: no region such as ZZ, QO, EU or UN', () => {
    for (const code of ['ZZ', 'QO', 'EU', 'UN', 'XK', 'UK', 'EZ', 'AA', 'nl', 'NLD', '']) {
      expect(errorsOf({ ...valid, subject: { nationality: code } })).toEqual([
        { pointer: '/subject/nationality', detail: expect.stringContaining('ISO 3166-1 alpha-2') },
      ]);
    }
    for (const code of ['NL', 'RO', 'PL', 'SS', 'BQ', 'CW', 'AX']) expect(errorsOf({ ...valid, subject: { nationality: code } })).toEqual([]);
  });

  it('refuses a description over 10 000 characters', () => {
    expect(errorsOf({ ...valid, description: 'x'.repeat(10_001) })[0]?.pointer).toBe('/description');
    expect(errorsOf({ ...valid, description: 'x'.repeat(10_000) })).toEqual([]);
  });

  it('names each missing required field', () => {
    expect(errorsOf({}).map((e) => e.pointer)).toEqual(['/observedAt', '/municipality', '/form']);
  });

  it('does not echo the values it refuses in its messages', () => {
    const messages = JSON.stringify(errorsOf({ ...valid, subject: { bsn: '987654321', email: 'jan@@voorbeeld', phone: '0000' } }));
    expect(messages).not.toContain('987654321');
    expect(messages).not.toContain('jan@@voorbeeld');
  });
});

describe('SignalInputSchema: the legal basis', () => {
  it('takes one of the four legal bases, and refuses another naming the field in Dutch', () => {
    for (const legalBasis of ['meldcode', 'wettelijke-taak', 'toestemming', 'gerechtvaardigd-belang']) {
      expect(SignalInputSchema.parse({ ...valid, legalBasis }).legalBasis).toBe(legalBasis);
    }
    expect(errorsOf({ ...valid, legalBasis: 'omdat-het-kan' })).toEqual([{ pointer: '/legalBasis', detail: expect.stringContaining('Kies een grondslag') }]);
  });
});
