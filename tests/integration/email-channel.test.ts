import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestStack } from './support/local-stack.js';

/**
 * The e-mail channel as its users use it: messages delivered over SMTP by nodemailer to the local
 * meldpunt, each ending in counts through GET /v1/statistics. Every case files its signal in a year of
 * its own, so each can be read on its own.
 */

/** Everything personal these mails carry; none of it may rest anywhere in plain text. */
const PERSONAL = {
  names: ['Marta Wiśniewska', 'Wiśniewska', 'Wisniewska', 'Sjoerd Hoekstra', 'Hoekstra', 'Aleksandrs Ozoliņš', 'Ozoliņš', 'Anna Jansen'],
  birthDates: ['17-04-1999', '1999-04-17'],
  bsns: ['111222333', '123456782'],
  phones: ['06 98765432', '0698765432', '+31698765432', '698765432'],
  emails: ['a.jansen@assen.nl', 'buurman.emmen@voorbeeld.nl', 'zorg.fryslan@voorbeeld.nl'],
  freeText: ['kassen aan de Vaart', 'camping De Lindehof', 'paspoorten ingenomen', 'Zorgen om Marta', 'slapen in de schuur'],
};
const needles = Object.values(PERSONAL).flat();
const leaks = (haystack: string) => needles.filter((n) => haystack.toLowerCase().includes(n.toLowerCase()));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const crlf = (lines: string[]) => lines.join('\r\n');

let stack: TestStack;
beforeAll(async () => {
  // Persisted, so the DynamoDB files on disk can be searched too.
  stack = await TestStack.start({ inMemory: false });
  await stack.addMailSender('assen.nl', { organisation: 'Gemeente Assen', sourceType: 'gemeente', province: 'DR' });
});
afterAll(async () => {
  await stack?.stop();
});

const year = (y: number) => `year=${y}`;
const counted = (y: number, total: number) => stack.waitForStatistics(year(y), (s) => s.total === total);
const signalsOf = async (y: number) => (await stack.scan('meldroute-signals')).filter((s) => String(s.observedAt).startsWith(`${y}-`));

describe('e-mail to the local meldpunt (SMTP on SMTP_PORT)', () => {
  it('counts the template in plain text under the municipality, form and the sender partner', async () => {
    const { response } = await stack.sendMail({
      from: '"Anna Jansen" <a.jansen@assen.nl>',
      subject: 'Zorgen om Marta',
      text: [
        'Beste ketenregisseur,',
        '',
        'Gemeente: Assen',
        'Vorm van uitbuiting: arbeidsuitbuiting',
        'Datum: 14-03-2011',
        'Soort: melding',
        'Sector: land- en tuinbouw',
        'Naam betrokkene: Marta Wiśniewska',
        'Geboortedatum: 17-04-1999',
        'BSN: 111222333',
        'Telefoon: 06 98765432',
        'Toelichting: Werkt in de kassen aan de Vaart; paspoorten ingenomen.',
        '',
        'Met vriendelijke groet,',
        'Anna Jansen',
      ].join('\n'),
    });
    expect(response).toMatch(/^250 /);
    const stats = await counted(2011, 1);
    expect(stats).toMatchObject({
      byMunicipality: { GM0106: 1 },
      byProvince: { DR: 1 },
      byForm: { arbeid: 1 },
      bySourceType: { gemeente: 1 },
      byChannel: { email: 1 },
    });
    const [signal] = await signalsOf(2011);
    expect(signal).toMatchObject({
      status: 'ontvangen',
      channel: 'email',
      organisation: 'Gemeente Assen',
      sector: 'land-en-tuinbouw',
      subject: { minor: true, ageBand: '0-11' },
    });
  });

  it('reads an HTML-only message', async () => {
    await stack.sendMail({
      from: 'buurman.emmen@voorbeeld.nl',
      subject: 'Signaal',
      html: '<html><body><p>Gemeente: <b>Emmen</b></p><p>Vorm: seksuele uitbuiting<br>Datum: 2 februari 2012</p><p>Toelichting: camping De Lindehof</p></body></html>',
    });
    expect(await counted(2012, 1)).toMatchObject({ byMunicipality: { GM0114: 1 }, byForm: { seksueel: 1 }, bySourceType: { onbekend: 1 } });
  });

  it('reads quoted-printable and base64 bodies with Frisian and Dutch diacritics', async () => {
    await stack.sendMail({
      from: 'buurman.emmen@voorbeeld.nl',
      text: 'Gemeente: gemeente Súdwest-Fryslân\nVorm: criminele uitbuiting\nDatum: 3 mei 2013\nToelichting: één café, geëxploiteerd',
      textEncoding: 'quoted-printable',
    });
    await stack.sendMail({
      from: 'buurman.emmen@voorbeeld.nl',
      text: 'Gemeente: Noardeast-Fryslân\nVorm: arbeid\nDatum: 4 mei 2013\nToelichting: geëxploiteerd in de haven',
      textEncoding: 'base64',
    });
    expect(await counted(2013, 2)).toMatchObject({ byMunicipality: { GM1900: 1, GM1970: 1 }, byProvince: { FR: 2 }, byForm: { crimineel: 1, arbeid: 1 } });
  });

  it('reads an ISO-8859-1 message', async () => {
    const raw = Buffer.from(
      crlf([
        'From: buurman.emmen@voorbeeld.nl',
        `To: ${stack.ready.mailRecipients[0]}`,
        'Subject: signaal',
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=ISO-8859-1',
        'Content-Transfer-Encoding: 8bit',
        '',
        'Gemeente: Súdwest-Fryslân',
        'Vorm: orgaanverwijdering',
        'Datum: 5-6-2015',
        'Naam betrokkene: Sjoerd Hoekstra',
        '',
      ]),
      'latin1',
    );
    await stack.sendMail({ envelope: { from: 'buurman.emmen@voorbeeld.nl', to: stack.ready.mailRecipients[0]! }, raw });
    expect(await counted(2015, 1)).toMatchObject({ byMunicipality: { GM1900: 1 }, byForm: { orgaanverwijdering: 1 } });
  });

  it("reads a forwarded message's template and ignores the date of its forwarding header", async () => {
    await stack.sendMail({
      from: '"Anna Jansen" <a.jansen@assen.nl>',
      subject: 'Fwd: melding',
      text: [
        'Ter info doorgestuurd.',
        '',
        '---------- Doorgestuurd bericht ---------',
        'Van: Zorg Fryslân <zorg.fryslan@voorbeeld.nl>',
        'Datum: di 3 jan 2017 10:15',
        'Onderwerp: melding',
        'Aan: Anna Jansen <a.jansen@assen.nl>',
        '',
        '> Gemeente: De Fryske Marren',
        '> Vorm: arbeid',
        '> Datum: 28-12-2016',
        '> Naam betrokkene: Aleksandrs Ozoliņš',
      ].join('\n'),
    });
    expect(await counted(2016, 1)).toMatchObject({ byMunicipality: { GM1940: 1 }, bySourceType: { gemeente: 1 } });
    expect((await stack.statistics(year(2017))).total).toBe(0);
  });

  it('keeps no attachment of a multipart message: only their count and media types are logged', async () => {
    await stack.sendMail({
      from: 'buurman.emmen@voorbeeld.nl',
      text: 'Gemeente: Groningen\nVorm: seksueel\nDatum: 7-7-2018',
      attachments: [
        { filename: 'foto.jpg', content: Buffer.from('ffd8ffe000104a464946', 'hex'), contentType: 'image/jpeg' },
        { filename: 'verslag.txt', content: 'BSN 123456782, slapen in de schuur', contentType: 'text/plain' },
      ],
    });
    expect(await counted(2018, 1)).toMatchObject({ byMunicipality: { GM0014: 1 }, byForm: { seksueel: 1 } });
    expect(stack.logs).toMatch(/"attachments":\{"count":2,"mediaTypes":\["image\/jpeg","text\/plain"\]\}/);
  });

  it('makes a message without the template a signal to enrich, dated by its Date header', async () => {
    await stack.sendMail({
      from: 'buurman.emmen@voorbeeld.nl',
      date: new Date('2019-05-06T10:00:00+02:00'),
      subject: 'Zorgen om Marta',
      text: 'Bij de buren wonen twaalf mensen die slapen in de schuur. Ze werken dag en nacht.',
    });
    expect(await counted(2019, 1)).toMatchObject({ byMunicipality: { onbekend: 1 }, byForm: { onbekend: 1 }, bySourceType: { onbekend: 1 } });
    const [signal] = await signalsOf(2019);
    expect(signal).toMatchObject({ status: 'te-verrijken', observedAt: '2019-05-06', municipality: 'onbekend' });
    expect(signal!.description.alg).toBe('AES-256-GCM');
  });

  it('still counts a malformed MIME message, marked for enrichment', async () => {
    const raw = crlf([
      'From: buurman.emmen@voorbeeld.nl',
      `To: ${stack.ready.mailRecipients[0]}`,
      'Date: Mon, 3 Feb 2020 09:00:00 +0100',
      'Content-Type: multipart/mixed; boundary="nooit-gebruikt"',
      'Content-Transfer-Encoding: base64',
      '',
      '--ander-scheidingsteken',
      'Content-Type: text/plain; charset=onbekende-tekenset',
      '',
      '!!! dit is geen base64 @@@ Gemeente: Assen',
      '--ander-scheidingsteken',
    ]);
    await stack.sendMail({ envelope: { from: 'buurman.emmen@voorbeeld.nl', to: stack.ready.mailRecipients[0]! }, raw });
    expect(await counted(2020, 1)).toMatchObject({ byMunicipality: { onbekend: 1 } });
    expect((await signalsOf(2020))[0]).toMatchObject({ status: 'te-verrijken' });
  });

  it('refuses a message over 10 MB during the SMTP conversation with 552, and counts nothing', async () => {
    const error = await stack
      .sendMail({
        from: 'buurman.emmen@voorbeeld.nl',
        text: 'Gemeente: Assen\nDatum: 1-1-2021\n',
        attachments: [{ filename: 'groot.bin', content: Buffer.alloc(11 * 1024 * 1024, 1) }],
      })
      .then(
        () => undefined,
        (e: { responseCode?: number }) => e,
      );
    expect(error?.responseCode).toBe(552);
    await stack.settle();
    expect((await stack.statistics(year(2021))).total).toBe(0);
  });

  it('refuses mail for another address than the meldpunt with 550', async () => {
    const error = await stack.sendMail({ from: 'a@b.nl', to: 'iemand-anders@meldroute.local', text: 'x' }).then(
      () => undefined,
      (e: { responseCode?: number }) => e,
    );
    expect(error?.responseCode).toBe(550);
  });

  it('names an unreadable field in the processing log, never its value, and still counts the signal', async () => {
    await stack.sendMail({ from: 'buurman.emmen@voorbeeld.nl', text: 'Gemeente: Hoogeveen\nVorm: arbeid\nDatum: 3-3-2023\nBSN: 987654321\nSoort: klacht' });
    expect(await counted(2023, 1)).toMatchObject({ byMunicipality: { GM0118: 1 } });
    expect(stack.logs).toMatch(/"message":"mail fields unreadable, left onbekend".*"fields":\["Soort","BSN"\]/);
    expect(stack.logs).not.toContain('987654321');
    expect((await signalsOf(2023))[0]).toMatchObject({ status: 'te-verrijken', signalType: 'melding' });
  });

  it('makes no signal of a message SES judged spam, and logs why', async () => {
    // The headers SES puts on top of a message it stores; locally nothing scans, so the test writes them.
    const raw = crlf([
      'X-SES-Spam-Verdict: FAIL',
      'X-SES-Virus-Verdict: PASS',
      'From: buurman.emmen@voorbeeld.nl',
      `To: ${stack.ready.mailRecipients[0]}`,
      'Subject: Gratis',
      '',
      'Gemeente: Assen',
      'Datum: 4-4-2024',
    ]);
    await stack.sendMail({ envelope: { from: 'buurman.emmen@voorbeeld.nl', to: stack.ready.mailRecipients[0]! }, raw });
    await stack.settle();
    await new Promise((r) => setTimeout(r, 500));
    expect(stack.logs).toMatch(/"message":"mail refused".*"reason":"the receiving service judged it spam"/);
    expect((await stack.statistics(year(2024))).total).toBe(0);
  });

  it('counts the same Message-ID from the same sender once', async () => {
    const message = {
      from: '"Anna Jansen" <a.jansen@assen.nl>',
      messageId: '<melding-2022-001@assen.nl>',
      text: 'Gemeente: Assen\nVorm: arbeid\nDatum: 9-9-2022\nBSN: 123456782',
    };
    await stack.sendMail(message);
    await stack.sendMail(message);
    await counted(2022, 1);
    await stack.settle();
    expect((await stack.statistics(year(2022))).total).toBe(1);
    expect(await signalsOf(2022)).toHaveLength(1);
  });
});

describe('e-mail and privacy', () => {
  it('leaves no processed mail behind in the local mail store', async () => {
    await stack.settle();
    expect(filesUnder(stack.ready.mailDir)).toEqual([]);
  });

  it('keeps none of the personal data of the mails in any table, queue, file or log', async () => {
    await stack.settle();
    for (const table of await stack.tableNames()) expect(leaks(JSON.stringify(await stack.scan(table))), table).toEqual([]);
    for (const queue of Object.values(stack.ready.queues).filter((q) => q.startsWith('http')))
      expect(leaks(JSON.stringify(await stack.peek(queue))), queue).toEqual([]);
    for (const file of filesUnder(stack.dataDir)) expect(leaks(readFileSync(file).toString('latin1') + readFileSync(file, 'utf8')), file).toEqual([]);
    expect(leaks(stack.logs)).toEqual([]);
  });
});
