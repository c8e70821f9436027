import { describe, expect, it } from 'vitest';
import { takeInMail } from '#domain/intake/mail/index.js';
import { senderEntryKey } from '#domain/partners/index.js';
import { memoryMailIntakePorts } from '../../../../support/in-memory-ports.js';

const ports = memoryMailIntakePorts;

const mail = (headers: string[], body: string) => Buffer.from([...headers, '', body].join('\r\n'));
const delivery = (raw: Buffer, deliveryId = 'inbound/abc') => ({ raw, receivedAt: new Date('2026-11-23T10:00:00Z'), deliveryId });
const template = 'Gemeente: Assen\nVorm: arbeid\nDatum: 14-03-2023\nNaam betrokkene: Anna Nowak\nToelichting: Slapen in een schuur.';

describe('takeInMail', () => {
  it("counts a partner's mail under its organisation and source type, on the email channel", async () => {
    const { queue, intake } = ports({ 'domain#assen.nl': { organisation: 'Gemeente Assen', sourceType: 'gemeente', region: 'noord-nederland' } });
    const outcome = await takeInMail(delivery(mail(['From: a.jansen@assen.nl', 'Message-ID: <1@assen.nl>'], template)), intake);
    expect(outcome).toMatchObject({ outcome: 'accepted', status: 'ontvangen', template: true, senderKnown: true });
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]).toMatchObject({
      channel: 'email',
      organisation: 'Gemeente Assen',
      sourceType: 'gemeente',
      municipality: 'GM0106',
      province: 'DR',
      form: 'arbeid',
      observedAt: '2023-03-14',
      status: 'ontvangen',
    });
    const stored = JSON.stringify(queue.sent[0]);
    for (const plain of ['Anna', 'Nowak', 'schuur', 'jansen', '1@assen.nl']) expect(stored).not.toContain(plain);
  });

  it('counts mail from anyone else under source type onbekend', async () => {
    const { queue, intake } = ports();
    await takeInMail(delivery(mail(['From: iemand@gmail.com'], 'Ik zag iets.')), intake);
    expect(queue.sent[0]).toMatchObject({ sourceType: 'onbekend', organisation: 'onbekend', status: 'te-verrijken', municipality: 'onbekend' });
  });

  it("places a mail without municipality in the sender's province", async () => {
    const { queue, intake } = ports({
      [senderEntryKey({ address: 'zorg@example.nl' })]: { organisation: 'Zorg Fryslân', sourceType: 'zorg', region: 'noord-nederland', province: 'FR' },
    });
    await takeInMail(delivery(mail(['From: zorg@example.nl'], 'Geen sjabloon.')), intake);
    expect(queue.sent[0]).toMatchObject({ municipality: 'onbekend', province: 'FR', sourceType: 'zorg' });
  });

  it('is one signal for the same Message-ID from the same sender, delivered twice', async () => {
    const { queue, intake } = ports();
    const raw = mail(['From: a@b.nl', 'Message-ID: <twice@b.nl>', 'Date: Tue, 14 Mar 2023 10:15:00 +0100'], template);
    const first = await takeInMail(delivery(raw, 'inbound/one'), intake);
    const second = await takeInMail(delivery(raw, 'inbound/two'), intake);
    expect(second).toMatchObject({ outcome: 'accepted', replayed: true });
    if (first.outcome !== 'accepted' || second.outcome !== 'accepted') throw new Error('not accepted');
    expect(second.signalId).toBe(first.signalId);
    expect(new Set(queue.sent.map((r) => r.signalId)).size).toBe(1);
  });

  it('treats the same Message-ID from another sender as another signal', async () => {
    const { queue, intake } = ports();
    await takeInMail(delivery(mail(['From: a@b.nl', 'Message-ID: <same@x>'], template)), intake);
    await takeInMail(delivery(mail(['From: c@d.nl', 'Message-ID: <same@x>'], template)), intake);
    expect(new Set(queue.sent.map((r) => r.signalId)).size).toBe(2);
  });

  it('answers a duplicate when a Message-ID comes again with other content', async () => {
    const { queue, intake } = ports();
    await takeInMail(delivery(mail(['From: a@b.nl', 'Message-ID: <m@b.nl>'], 'Gemeente: Emmen')), intake);
    expect(await takeInMail(delivery(mail(['From: a@b.nl', 'Message-ID: <m@b.nl>'], 'Gemeente: Assen')), intake)).toEqual({ outcome: 'duplicate' });
    expect(queue.sent).toHaveLength(1);
  });

  it('without a Message-ID, recognises the same delivery again by its id', async () => {
    const { queue, intake } = ports();
    const raw = mail(['From: a@b.nl'], template);
    await takeInMail(delivery(raw, 'inbound/x'), intake);
    await takeInMail(delivery(raw, 'inbound/x'), intake);
    await takeInMail(delivery(raw, 'inbound/y'), intake);
    expect(new Set(queue.sent.map((r) => r.signalId)).size).toBe(2);
  });

  it.each([
    ['spam', ['X-SES-Spam-Verdict: FAIL', 'X-SES-Virus-Verdict: PASS']],
    ['virus', ['X-SES-Spam-Verdict: PASS', 'X-SES-Virus-Verdict: FAIL']],
    ['authentication', ['Authentication-Results: amazonses.com; spf=fail smtp.mailfrom=a@b.nl; dkim=fail header.i=@b.nl']],
  ])('refuses a message with %s verdicts and sends nothing', async (reason, headers) => {
    const { queue, intake } = ports();
    expect(await takeInMail(delivery(mail([...headers, 'From: a@b.nl'], template)), intake)).toEqual({ outcome: 'refused', reason });
    expect(queue.sent).toHaveLength(0);
  });

  it('accepts a message when only one of SPF and DKIM failed', async () => {
    const { queue, intake } = ports();
    await takeInMail(delivery(mail(['Authentication-Results: amazonses.com; spf=fail; dkim=pass', 'From: a@b.nl'], template)), intake);
    expect(queue.sent).toHaveLength(1);
  });
});

describe('takeInMail: the legal basis', () => {
  it("gives the signal its sender's legal basis, and none to mail from an unknown sender", async () => {
    const { queue, intake } = ports({
      'domain#politie.nl': { organisation: 'Politie Drenthe', sourceType: 'politie', region: 'noord-nederland', legalBasis: 'wettelijke-taak' },
    });
    await takeInMail(delivery(mail(['From: wijkagent@politie.nl'], template)), intake);
    await takeInMail(delivery(mail(['From: iemand@gmail.com'], template), 'inbound/other'), intake);
    expect(queue.sent[0]).toMatchObject({ organisation: 'Politie Drenthe', legalBasis: 'wettelijke-taak' });
    expect(queue.sent[1]).not.toHaveProperty('legalBasis');
  });
});
