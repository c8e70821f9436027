import { describe, expect, it } from 'vitest';
import { appendAudit, MAX_PURPOSE_LENGTH, personalDataIn } from '#domain/casework/index.js';
import { record } from './fixtures.js';
import { MemoryAuditLog } from './memory-audit-log.js';

const refusal = async (purpose: string) => {
  const log = new MemoryAuditLog();
  const result = await appendAudit(record({ purpose }), { log });
  expect(log.entries).toEqual([]);
  return result.ok ? undefined : result.problem;
};

describe('the purpose of an audit entry', () => {
  it.each([
    'Triage voor de weegtafel van dinsdag',
    'Verrijking na overleg met de politie, zaak 2024-0153',
    'Besluit weegtafel 12-03-2026 10:15',
    'Verwijdering na afloop bewaartermijn (art. 17 AVG)',
    'Controle dossier 20240312',
  ])('takes a purpose without personal data: %s', (purpose) => {
    expect(personalDataIn(purpose)).toBeUndefined();
  });

  it.each([
    ['111222333', 'BSN'],
    ['BSN 1112.22.333 gecontroleerd', 'BSN'],
    ['betreft 123 456 782', 'BSN'],
    ['gemaild met piotr.zielinski@voorbeeld.nl', 'e-mailadres'],
    ['a@b.nl', 'e-mailadres'],
    ['teruggebeld op 06 12 34 56 78', 'telefoonnummer'],
    ['nummer 0612345678', 'telefoonnummer'],
    ['contact via +48 601 234 567', 'telefoonnummer'],
    ['bellen 050-1234567', 'telefoonnummer'],
  ])('refuses %s as holding a %s', (purpose, kind) => {
    expect(personalDataIn(purpose)).toContain(`een ${kind} te bevatten`);
  });

  it('answers a refused purpose with a Dutch 422 that points at /purpose and says why', async () => {
    const problem = await refusal('Gesprek met Jan, BSN 111222333');
    expect(problem).toMatchObject({
      status: 422,
      type: expect.stringMatching(/validation$/),
      title: 'Ongeldige invoer',
      errors: [{ pointer: '/purpose', detail: expect.stringMatching(/^Het doel lijkt een BSN te bevatten\. Noem in het doel geen persoonsgegevens/) }],
    });
  });

  it('requires a purpose of at most MAX_PURPOSE_LENGTH characters on one line', async () => {
    expect((await refusal(''))?.errors?.[0]).toMatchObject({ pointer: '/purpose', detail: expect.stringMatching(/Geef het doel op/) });
    expect((await refusal('   '))?.errors?.[0]?.detail).toMatch(/Geef het doel op/);
    expect((await refusal('x'.repeat(MAX_PURPOSE_LENGTH + 1)))?.errors?.[0]?.detail).toBe(`Het doel is hoogstens ${MAX_PURPOSE_LENGTH} tekens.`);
    expect((await appendAudit(record({ purpose: 'x'.repeat(MAX_PURPOSE_LENGTH) }), { log: new MemoryAuditLog() })).ok).toBe(true);
    expect((await refusal('eerste regel\ntweede regel'))?.errors?.[0]?.detail).toMatch(/zonder stuurtekens/);
    expect((await refusal('half \ud800 teken'))?.errors?.[0]?.detail).toMatch(/zonder stuurtekens/);
  });

  it('stores the purpose trimmed', async () => {
    const log = new MemoryAuditLog();
    await appendAudit(record({ purpose: '  Triage  ' }), { log });
    expect(log.entries[0]!.purpose).toBe('Triage');
  });
});
