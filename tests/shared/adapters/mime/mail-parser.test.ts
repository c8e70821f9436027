import { describe, expect, it } from 'vitest';
import { parseMailMessage } from '#adapters/mime/mail-parser.js';
import { MAIL_LIMITS, MailTooLargeError } from '#domain/intake/mail/index.js';

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'latin1');

describe('parseMailMessage', () => {
  it('reads sender, Message-ID, Date and a quoted-printable ISO-8859-1 body', async () => {
    const message = await parseMailMessage(
      crlf([
        'From: "A. Jansen" <A.Jansen@Assen.nl>',
        'To: meldpunt@meldroute.local',
        'Message-ID: <abc@assen.nl>',
        'Date: Tue, 14 Mar 2023 10:15:00 +0100',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Gemeente: S=FAdwest-Frysl=E2n',
      ]),
    );
    expect(message).toMatchObject({
      from: 'a.jansen@assen.nl',
      messageId: '<abc@assen.nl>',
      sentAt: new Date('2023-03-14T09:15:00Z'),
      text: expect.stringMatching(/^Gemeente: Súdwest-Fryslân\s*$/),
      attachments: { count: 0, mediaTypes: [] },
    });
  });

  it('converts an HTML-only body to text, one line per paragraph', async () => {
    const message = await parseMailMessage(
      crlf([
        'From: a@b.nl',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<html><body><p>Gemeente: <b>Emmen</b></p><p>Vorm: arbeid<br>Datum: 1-2-2024</p></body></html>',
      ]),
    );
    expect(message.text.split('\n').filter(Boolean)).toEqual(['Gemeente: Emmen', 'Vorm: arbeid', 'Datum: 1-2-2024']);
  });

  it('counts attachments and lists their media types without keeping them', async () => {
    const message = await parseMailMessage(
      crlf([
        'From: a@b.nl',
        'Content-Type: multipart/mixed; boundary=b1',
        '',
        '--b1',
        'Content-Type: text/plain',
        '',
        'Zie bijlage.',
        '--b1',
        'Content-Type: application/pdf; name=rapport.pdf',
        'Content-Disposition: attachment; filename=rapport.pdf',
        'Content-Transfer-Encoding: base64',
        '',
        'JVBERi0xLjQK',
        '--b1--',
      ]),
    );
    expect(message.text.trim()).toBe('Zie bijlage.');
    expect(message.attachments).toEqual({ count: 1, mediaTypes: ['application/pdf'] });
    expect(JSON.stringify(message)).not.toContain('JVBERi0');
  });

  it("believes only SES's own verdict headers, which SES puts on top", async () => {
    const message = await parseMailMessage(
      crlf([
        'X-SES-Spam-Verdict: FAIL',
        'X-SES-Virus-Verdict: PASS',
        'Authentication-Results: amazonses.com; spf=fail (spfCheck: domain does not designate) smtp.mailfrom=x@y.nl; dkim=fail header.i=@y.nl',
        'X-SES-Spam-Verdict: PASS',
        'From: x@y.nl',
        '',
        'hallo',
      ]),
    );
    expect(message.verdicts).toEqual({ spam: 'FAIL', virus: 'PASS', spf: 'fail', dkim: 'fail' });
  });

  it('ignores Authentication-Results written by another server', async () => {
    const message = await parseMailMessage(crlf(['Authentication-Results: mx.example.org; spf=pass; dkim=pass', 'From: x@y.nl', '', 'x']));
    expect(message.verdicts).toEqual({});
  });

  it('refuses a message over the size limit before parsing it', async () => {
    await expect(parseMailMessage(new Uint8Array(MAIL_LIMITS.maxMessageBytes + 1))).rejects.toBeInstanceOf(MailTooLargeError);
  });

  describe('a part that says UTF-8 and is not (postal-mime would make U+FFFD of its bytes)', () => {
    // "Súdwest-Fryslân, 10 €" in Windows-1252: ú is 0xFA, â 0xE2, € 0x80; crlf() writes each char as its byte.
    const cp1252 = 'Gemeente: S\u00fadwest-Frysl\u00e2n, 10 \u0080';
    const read = 'Gemeente: Súdwest-Fryslân, 10 €';

    it('reads an 8bit part as Windows-1252, as mail clients do', async () => {
      const message = await parseMailMessage(crlf(['From: a@b.nl', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', cp1252]));
      expect(message.text.trim()).toBe(read);
      expect(message.text).not.toContain('\uFFFD');
    });

    it('reads a quoted-printable flowed part, an HTML part and a part without a charset so too', async () => {
      const flowed = await parseMailMessage(
        crlf([
          'From: a@b.nl',
          'Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes',
          'Content-Transfer-Encoding: quoted-printable',
          '',
          'Gemeente: S=FAdwest- ',
          'Frysl=E2n',
        ]),
      );
      expect(flowed.text.trim()).toBe('Gemeente: Súdwest-Fryslân');
      const html = await parseMailMessage(crlf(['From: a@b.nl', 'Content-Type: text/html; charset=utf8', '', `<p>${cp1252}</p>`]));
      expect(html.text.trim()).toBe(read);
      const bare = await parseMailMessage(crlf(['From: a@b.nl', 'Content-Type: text/plain', '', cp1252]));
      expect(bare.text.trim()).toBe(read);
    });

    it('reads 0x80-0x9F of a Windows-1252 or Latin-1 part by the Encoding standard, not as control characters', async () => {
      // Node's own windows-1252 decoder reads these as Latin-1 since 20.18.3 (nodejs/node#60888).
      const quoted = 'Hij zei: \u0093ik werk hier\u0094 \u0096 \u0092s nachts, voor 10 \u0080';
      for (const charset of ['windows-1252', 'iso-8859-1']) {
        const message = await parseMailMessage(crlf(['From: a@b.nl', `Content-Type: text/plain; charset=${charset}`, '', quoted]));
        expect(message.text.trim()).toBe('Hij zei: “ik werk hier” – ’s nachts, voor 10 €');
      }
    });

    it('decodes each part by itself: a valid UTF-8 part stays UTF-8 beside a mislabelled one', async () => {
      const utf8 = Buffer.from('Vorm: arbeid, één keer', 'utf8').toString('latin1');
      const message = await parseMailMessage(
        crlf([
          'From: a@b.nl',
          'Content-Type: multipart/mixed; boundary=b1',
          '',
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          utf8,
          '--b1',
          'Content-Type: text/plain; charset=utf-8',
          'Content-Transfer-Encoding: 8bit',
          '',
          cp1252,
          '--b1--',
        ]),
      );
      expect(message.text).toContain('Vorm: arbeid, één keer');
      expect(message.text).toContain(read);
    });
  });

  it('refuses MIME nested deeper than the limit', async () => {
    const depth = MAIL_LIMITS.maxNestingDepth + 2;
    const lines = ['From: x@y.nl'];
    for (let i = 0; i < depth; i++) lines.push(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`);
    lines.push('Content-Type: text/plain', '', 'diep');
    await expect(parseMailMessage(crlf(lines))).rejects.toThrow();
  });
});
