/** What the e-mail channel accepts. The SMTP server refuses a larger message during the conversation. */
export const MAIL_LIMITS = {
  maxMessageBytes: 10 * 1024 * 1024,
  maxNestingDepth: 20,
  maxHeadersBytes: 256 * 1024,
  /** A forwarded message inside a message inside a message is deep enough. */
  maxRfc822NestingDepth: 3,
  /** HTML beyond this is not converted to text. */
  maxHtmlChars: 1_000_000,
  /** The body text read for the template. */
  maxTextChars: 200_000,
  /** Attachments are never stored; this many are listed by media type, the rest only counted. */
  maxListedAttachments: 20,
} as const;

/** The receiving service's verdicts, as SES writes them into the stored message's headers. */
export interface MailVerdicts {
  spam?: string;
  virus?: string;
  spf?: string;
  dkim?: string;
}

export interface MailMessage {
  /** The From address, lower case. */
  from?: string;
  messageId?: string;
  sentAt?: Date;
  text: string;
  attachments: { count: number; mediaTypes: string[] };
  verdicts: MailVerdicts;
}

export class MailTooLargeError extends Error {
  constructor(readonly bytes: number) {
    super(`message of ${bytes} bytes exceeds ${MAIL_LIMITS.maxMessageBytes}`);
    this.name = 'MailTooLargeError';
  }
}
