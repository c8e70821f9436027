import { describe, expect, it } from 'vitest';
import { indexKeyOf, matchKeysOf, repeatInfo } from '#domain/linking/index.js';
import { pseudonym, subjectMatchKeys } from '#domain/privacy/index.js';
import { testKey } from '../../../support/in-memory-ports.js';
import { Pipeline } from './signals.js';

const person = { name: 'Marta Wiśniewska', dateOfBirth: '1999-04-17', bsn: '111222333', phone: '06 98765432', email: 'marta@voorbeeld.nl' };

describe('match keys: what a person is recognised by', () => {
  it('are the BSN, name with date of birth, phone and e-mail, each under the key that made it', async () => {
    const record = await new Pipeline().accept({ subject: person });
    const keys = matchKeysOf(record);
    expect(keys.map((k) => k.kind).sort()).toEqual(['bsn', 'email', 'nameDateOfBirth', 'phone']);
    expect(keys.every((k) => k.keyId === 'test-1' && /^[a-f0-9]{64}$/.test(k.pseudonym))).toBe(true);
    expect(keys.find((k) => k.kind === 'bsn')?.pseudonym).toBe(pseudonym(testKey, 'bsn', '111222333'));
    expect(indexKeyOf(keys.find((k) => k.kind === 'bsn')!)).toBe(`key#test-1#bsn#${pseudonym(testKey, 'bsn', '111222333')}`);
  });

  it('link by name with date of birth, written differently; a name alone does not link', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-03-05', subject: { name: 'Marta Wiśniewska', dateOfBirth: '1999-04-17' } });
    const again = await pipeline.file({ organisation: 'Politie', observedAt: '2024-06-01', subject: { name: 'marta  wisniewska', dateOfBirth: '1999-04-17' } });
    expect(await repeatInfo(again.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });

    const otherBirthday = await pipeline.file({ observedAt: '2024-07-01', subject: { name: 'Marta Wiśniewska', dateOfBirth: '1999-04-18' } });
    expect(await repeatInfo(otherBirthday.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 0 });

    const nameOnly = await pipeline.file({ observedAt: '2024-08-01', subject: { name: 'Marta Wiśniewska' } });
    const nameOnlyAgain = await pipeline.file({ observedAt: '2024-09-01', subject: { name: 'Marta Wiśniewska' } });
    expect(nameOnly.subject?.pseudonyms.name).toMatch(/^[a-f0-9]{64}$/);
    expect(matchKeysOf(nameOnlyAgain)).toEqual([]);
    // Not in the index at all: nothing to recognise the person by.
    expect(await repeatInfo(nameOnlyAgain.signalId, pipeline.ports)).toBeUndefined();
  });

  it("never include a web reporter's own contact details, not even when they equal a person's", async () => {
    const pipeline = new Pipeline();
    const reporter = { name: 'Marta Wiśniewska', phone: person.phone, email: person.email };
    const web = await pipeline.file({ channel: 'web', organisation: 'meldformulier', observedAt: '2024-03-05', reporter });
    const webWithPerson = await pipeline.file({
      channel: 'web',
      organisation: 'meldformulier',
      observedAt: '2024-03-06',
      reporter,
      subject: { bsn: '123456782' },
    });
    expect(web.reporter?.pseudonyms.phone).toMatch(/^[a-f0-9]{64}$/);
    expect(matchKeysOf(web)).toEqual([]);
    expect(matchKeysOf(webWithPerson).map((k) => k.kind)).toEqual(['bsn']);

    const later = await pipeline.file({ observedAt: '2024-04-01', subject: { phone: person.phone, email: person.email } });
    expect(await repeatInfo(later.signalId, pipeline.ports)).toEqual({ earlierSignals: 0, organisations: 0, complete: true });
    const reporterPseudonyms = Object.values(web.reporter!.pseudonyms);
    for (const key of pipeline.links.byKey.keys()) for (const p of reporterPseudonyms) expect(key).not.toContain(p);
  });

  it('under previous keys are made for the linkable kinds only, never for a name alone', () => {
    const old = { keyId: 'old-1', secret: Buffer.alloc(32, 3) };
    const keys = subjectMatchKeys({ ...person, dateOfBirth: undefined }, [old]);
    expect(keys.map((k) => k.kind)).toEqual(['bsn', 'phone', 'email']);
    expect(keys[0]).toEqual({ keyId: 'old-1', kind: 'bsn', pseudonym: pseudonym(old, 'bsn', '111222333') });
    expect(subjectMatchKeys({ name: 'Marta' }, [old])).toEqual([]);
  });
});
