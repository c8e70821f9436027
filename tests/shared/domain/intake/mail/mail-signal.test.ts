import { describe, expect, it } from 'vitest';
import { signalFromMail } from '#domain/intake/mail/index.js';

const receivedAt = new Date('2026-11-23T10:00:00Z');
const fromMail = (text: string, extra: { sentAt?: Date; senderProvince?: string } = {}) => signalFromMail({ text, receivedAt, ...extra });

describe('signalFromMail', () => {
  it('makes a complete template a received signal, reading what people type', () => {
    const signal = fromMail(
      'Gemeente: gemeente Súdwest-Fryslân\nVorm van uitbuiting: arbeidsuitbuiting\nDatum: 14 maart 2023\nSoort: adviesvraag\nSector: Land- en tuinbouw\nToelichting: In een schuur.',
    );
    expect(signal).toEqual({
      input: {
        municipality: 'GM1900',
        form: 'arbeid',
        observedAt: '2023-03-14',
        signalType: 'adviesvraag',
        sector: 'land-en-tuinbouw',
        description: 'In een schuur.',
      },
      status: 'ontvangen',
      template: true,
      unreadableFields: [],
    });
  });

  it('accepts the Dutch names of Frisian municipalities and short forms of exploitation', () => {
    expect(fromMail('Gemeente: Zuidwest-Friesland\nVorm: arbeid').input).toMatchObject({ municipality: 'GM1900', form: 'arbeid' });
    expect(fromMail('Gemeente: Emmen\nVorm: seksuele uitbuiting en criminele uitbuiting').input).toMatchObject({
      form: 'seksueel',
      additionalForms: ['crimineel'],
    });
  });

  it('reads the person concerned: name, birth date, BSN and telephone', () => {
    const { input } = fromMail('Gemeente: Assen\nNaam betrokkene: Anna Nowak\nGeboortedatum: 02-05-2001\nBSN: 111222333\nTelefoon: 06 12345678');
    expect(input.subject).toEqual({ name: 'Anna Nowak', dateOfBirth: '2001-05-02', bsn: '111222333', phone: '06 12345678' });
  });

  it('names an unreadable field, leaves it onbekend and marks the signal for enrichment, never failing', () => {
    const signal = fromMail('Gemeente: Atlantis\nVorm: arbeid\nDatum: gisteren\nBSN: 123456789\nSoort: klacht');
    expect(signal.input).toMatchObject({ municipality: 'onbekend', form: 'arbeid', observedAt: '2026-11-23', signalType: 'melding' });
    expect(signal.input.subject).toBeUndefined();
    expect(signal.status).toBe('te-verrijken');
    expect(signal.unreadableFields).toEqual(['Gemeente', 'Datum', 'Soort', 'BSN']);
  });

  it('treats "onbekend" and "weet ik niet" as not known, which is not unreadable', () => {
    const signal = fromMail('Gemeente: onbekend\nVorm: weet ik niet\nBSN: -');
    expect(signal.input).toMatchObject({ municipality: 'onbekend', form: 'onbekend' });
    expect(signal.unreadableFields).toEqual([]);
    expect(signal.status).toBe('te-verrijken');
  });

  it('leaves out what the schema refuses: a future date, a province that does not fit', () => {
    const signal = fromMail('Gemeente: Emmen\nProvincie: Fryslân\nVorm: arbeid\nDatum: 01-01-2099', { sentAt: new Date('2026-11-20T09:00:00Z') });
    expect(signal.input).toMatchObject({ municipality: 'GM0114', observedAt: '2026-11-20' });
    expect(signal.input.province).toBeUndefined();
    expect(signal.unreadableFields).toEqual(['Provincie', 'Datum']);
  });

  it('without a Datum line takes the day the mail was sent, else the day it came in', () => {
    expect(fromMail('Gemeente: Emmen', { sentAt: new Date('2026-11-01T23:30:00Z') }).input.observedAt).toBe('2026-11-02');
    expect(fromMail('Gemeente: Emmen').input.observedAt).toBe('2026-11-23');
    expect(fromMail('Gemeente: Emmen', { sentAt: new Date('2030-01-01T00:00:00Z') }).input.observedAt).toBe('2026-11-23');
  });

  it('makes a message without the template a signal to enrich, with its body as the description', () => {
    const signal = fromMail('Ik zag iets vreemds bij de buren.', { senderProvince: 'DR' });
    expect(signal).toEqual({
      input: {
        municipality: 'onbekend',
        province: 'DR',
        form: 'onbekend',
        signalType: 'melding',
        observedAt: '2026-11-23',
        description: 'Ik zag iets vreemds bij de buren.',
      },
      status: 'te-verrijken',
      template: false,
      unreadableFields: [],
    });
  });

  it("places by the sender's province only when the mail names no municipality", () => {
    expect(fromMail('Gemeente: Emmen\nVorm: arbeid', { senderProvince: 'FR' }).input.province).toBeUndefined();
    expect(fromMail('Vorm: arbeid', { senderProvince: 'FR' }).input.province).toBe('FR');
  });

  it('keeps at most the maximum description length of a long body', () => {
    expect(fromMail('x'.repeat(20_000)).input.description).toHaveLength(10_000);
  });
});
