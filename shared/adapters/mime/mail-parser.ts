import { isUtf8 } from 'node:buffer';
import { convert as htmlToText } from 'html-to-text';
import PostalMime, { type Email } from 'postal-mime';
import { MAIL_LIMITS, type MailMessage, type MailParser, MailTooLargeError, type MailVerdicts } from '#domain/intake/mail/index.js';

const firstHeader = (email: Email, name: string) => email.headers.find((h) => h.key === name)?.value;

/** What a postal-mime part is to its getTextContent (MimeNode; postal-mime does not export the class). */
interface TextPart {
  content: ArrayBuffer | null;
  contentType: { parsed: { params: Record<string, string | undefined> } };
  getTextContent(): string;
  decodeFlowedText(text: string, delSp: boolean): string;
}

/** A charset label's encoding by the Encoding standard (latin1 and us-ascii are windows-1252 there); no label is UTF-8, as postal-mime reads it. */
function encodingOf(charset: string | undefined): string | undefined {
  if (!charset?.trim()) return 'utf-8';
  try {
    return new TextDecoder(charset.trim()).encoding;
  } catch {
    return undefined;
  }
}

// Windows-1252's 0x80-0x9F as the Encoding standard maps them; the rest of its bytes are Latin-1's. Node's
// own windows-1252 TextDecoder decodes these as Latin-1 (C1 controls) since 20.18.3 (nodejs/node#60888).
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const windows1252 = (bytes: ArrayBuffer) =>
  Buffer.from(bytes)
    .toString('latin1')
    .replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!);

let textDecodingWrapped = false;

/**
 * postal-mime decodes a text part by the charset it declares, forgivingly: in a part that says UTF-8 (or
 * says nothing), bytes that are not UTF-8 become U+FFFD and what the sender wrote is lost. Such a part was
 * nearly always written in Windows-1252 by a client that labelled it wrong, and mail clients read it so;
 * so does this. And a part in Windows-1252 (or Latin-1) is decoded by the table above, not by Node's decoder.
 * postal-mime has no option for either, so the text decoding of its part class is wrapped, once, for every
 * parser (a nested message's included). Any other part is decoded by postal-mime as before.
 */
function wrapTextDecoding(): void {
  if (textDecodingWrapped) return;
  const root = (new PostalMime() as unknown as { root?: TextPart }).root;
  const part = root && (Object.getPrototypeOf(root) as TextPart);
  if (typeof part?.getTextContent !== 'function') throw new Error('postal-mime changed: its MIME part has no getTextContent to wrap');
  const decode = part.getTextContent;
  part.getTextContent = function (this: TextPart) {
    const params = this.contentType.parsed.params;
    const encoding = encodingOf(params.charset);
    const asWindows1252 = encoding === 'windows-1252' || (encoding === 'utf-8' && this.content !== null && !isUtf8(this.content));
    if (!this.content || !asWindows1252) return decode.call(this);
    const text = windows1252(this.content);
    // As postal-mime does for a part it decodes itself (RFC 3676).
    return /^flowed$/i.test(params.format ?? '') ? this.decodeFlowedText(text, /^yes$/i.test(params.delsp ?? '')) : text;
  };
  textDecodingWrapped = true;
}

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
  wrapTextDecoding();
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
