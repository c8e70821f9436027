import { convert as htmlToText } from 'html-to-text';
import PostalMime, { type Email } from 'postal-mime';
import { MAIL_LIMITS, MailTooLargeError, type MailMessage, type MailParser, type MailVerdicts } from '#domain/intake/mail/index.js';

const firstHeader = (email: Email, name: string) => email.headers.find((h) => h.key === name)?.value;

/**
 * SES puts its own headers on top of the message; a sender's forged copies come after them, so only the
 * first of each is believed. Authentication-Results counts only when SES (amazonses.com) wrote it.
 */
function verdictsOf(email: Email): MailVerdicts {
  const verdicts: MailVerdicts = {};
  const spam = firstHeader(email, 'x-ses-spam-verdict');
  const virus = firstHeader(email, 'x-ses-virus-verdict');
  if (spam) verdicts.spam = spam.trim().toUpperCase();
  if (virus) verdicts.virus = virus.trim().toUpperCase();
  const results = firstHeader(email, 'authentication-results');
  if (results && /^\s*amazonses\.com\s*;/i.test(results)) {
    const spf = /\bspf=(\w+)/i.exec(results)?.[1];
    const dkim = /\bdkim=(\w+)/i.exec(results)?.[1];
    if (spf) verdicts.spf = spf.toLowerCase();
    if (dkim) verdicts.dkim = dkim.toLowerCase();
  }
  return verdicts;
}

function textOf(email: Email): string {
  if (email.text?.trim()) return email.text.slice(0, MAIL_LIMITS.maxTextChars);
  if (!email.html) return '';
  const text = htmlToText(email.html.slice(0, MAIL_LIMITS.maxHtmlChars), {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
    limits: { maxDepth: MAIL_LIMITS.maxNestingDepth * 5, maxChildNodes: 10_000 },
  });
  return text.slice(0, MAIL_LIMITS.maxTextChars);
}

/** Parses a raw message with postal-mime, within MAIL_LIMITS. Throws when the message cannot be read at all. */
export async function parseMailMessage(raw: Uint8Array): Promise<MailMessage> {
  if (raw.byteLength > MAIL_LIMITS.maxMessageBytes) throw new MailTooLargeError(raw.byteLength);
  const email = await PostalMime.parse(raw, {
    maxNestingDepth: MAIL_LIMITS.maxNestingDepth,
    maxHeadersSize: MAIL_LIMITS.maxHeadersBytes,
    maxRfc822NestingDepth: MAIL_LIMITS.maxRfc822NestingDepth,
    // Only the count and media types of attachments are kept; base64 avoids copying them into buffers twice.
    attachmentEncoding: 'base64',
  });
  const from = email.from && 'address' in email.from && email.from.address ? email.from.address.trim().toLowerCase() : undefined;
  const sentAt = email.date ? new Date(email.date) : undefined;
  const mediaTypes = [...new Set(email.attachments.slice(0, MAIL_LIMITS.maxListedAttachments).map((a) => a.mimeType.toLowerCase()))];
  const message: MailMessage = {
    text: textOf(email),
    attachments: { count: email.attachments.length, mediaTypes },
    verdicts: verdictsOf(email),
  };
  if (from) message.from = from;
  if (email.messageId?.trim()) message.messageId = email.messageId.trim();
  if (sentAt && !Number.isNaN(sentAt.getTime())) message.sentAt = sentAt;
  return message;
}

/** The MailParser port, for the e-mail intake. */
export const postalMimeParser: MailParser = { parse: parseMailMessage };
