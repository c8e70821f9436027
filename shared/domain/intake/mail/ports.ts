import type { MailMessage } from './message.js';

/** Where a received message rests until it is processed: an S3 object on AWS, a file on one machine. */
export interface MailLocation {
  bucket: string;
  key: string;
}

export interface RawMailStore {
  /** The raw message; undefined when it is gone, because an earlier delivery of the event processed it. */
  get(location: MailLocation): Promise<Uint8Array | undefined>;
  delete(location: MailLocation): Promise<void>;
}

/** Reads a raw MIME message within MAIL_LIMITS; throws MailTooLargeError, or any error when it cannot be read at all. */
export interface MailParser {
  parse(raw: Uint8Array): Promise<MailMessage>;
}
