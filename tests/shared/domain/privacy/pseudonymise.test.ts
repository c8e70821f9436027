import { describe, expect, it } from 'vitest';
import { ageBand, pseudonym, pseudonymiseSubject } from '#domain/privacy/index.js';
import { testKey } from '../../../support/in-memory-ports.js';

describe('pseudonymiseSubject', () => {
  it('keeps pseudonyms, the key id and non-identifying attributes, and nothing else', () => {
    const result = pseudonymiseSubject(
      { name: 'Jan de Vries', dateOfBirth: '2007-06-01', bsn: '111222333', phone: '06-12345678', email: 'Jan@Example.NL', gender: 'm', nationality: 'NL' },
      '2023-03-14',
      testKey,
    );
    expect(Object.keys(result.pseudonyms).sort()).toEqual(['bsn', 'email', 'nameDateOfBirth', 'phone']);
    expect(result).toMatchObject({ keyId: 'test-1', minor: true, ageBand: '12-17', gender: 'm', nationality: 'NL' });
    const text = JSON.stringify(result);
    for (const plain of ['Jan', 'Vries', '2007', '111222333', '12345678', 'example']) expect(text.toLowerCase()).not.toContain(plain.toLowerCase());
  });

  it('gives the same pseudonym for the same person written differently', () => {
    const a = pseudonymiseSubject({ name: 'José  Álvarez', dateOfBirth: '1990-01-02', phone: '+31 6 12345678', email: ' Jose@X.nl ' }, '2023-01-01', testKey);
    const b = pseudonymiseSubject({ name: 'jose alvarez', dateOfBirth: '1990-01-02', phone: '0612345678', email: 'jose@x.nl' }, '2023-01-01', testKey);
    expect(a.pseudonyms).toEqual(b.pseudonyms);
  });

  it('gives other pseudonyms under another key', () => {
    const other = { keyId: 'test-2', secret: Buffer.alloc(32, 9) };
    expect(pseudonym(testKey, 'bsn', '111222333')).not.toBe(pseudonym(other, 'bsn', '111222333'));
  });

  it('keeps kinds apart: the same digits as BSN and as phone differ', () => {
    expect(pseudonym(testKey, 'bsn', '612345678')).not.toBe(pseudonym(testKey, 'phone', '612345678'));
  });

  it('pseudonymises a name alone when no birth date is given', () => {
    expect(Object.keys(pseudonymiseSubject({ name: 'Jan' }, '2023-01-01', testKey).pseudonyms)).toEqual(['name']);
  });

  it('judges minority at the observation date, not today', () => {
    expect(pseudonymiseSubject({ dateOfBirth: '2005-03-15' }, '2023-03-14', testKey).minor).toBe(true);
    expect(pseudonymiseSubject({ dateOfBirth: '2005-03-14' }, '2023-03-14', testKey).minor).toBe(false);
  });

  it('puts ages into bands', () => {
    expect([5, 17, 18, 22, 23, 35, 45, 60, 70].map(ageBand)).toEqual(['0-11', '12-17', '18-22', '18-22', '23-29', '30-39', '40-49', '50-64', '65+']);
  });
});
