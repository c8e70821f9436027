import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { findSender, type MailSenderDirectory, type Principal } from '#domain/partners/index.js';
import { acceptSignal, type IntakePorts } from '../index.js';
import { signalFromMail } from './mail-signal.js';
import { type MailMessage, MailTooLargeError } from './message.js';
import type { MailParser } from './ports.js';

export interface MailIntakePorts extends IntakePorts {
  senders: MailSenderDirectory;
  parser: MailParser;
}

export interface MailDelivery {
  raw: Uint8Array;
  /** When the receiving service took the message in. */
  receivedAt: Date;
  /** The receiving service's id of this delivery (the S3 object key SES chose). */
  deliveryId: string;
}

export type MailRefusal = 'spam' | 'virus' | 'authentication' | 'too-large' | 'unreadable';

export type MailOutcome =
  | {
      outcome: 'accepted';
      signalId: string;
      replayed: boolean;
      status: 'ontvangen' | 'te-verrijken';
      template: boolean;
      senderKnown: boolean;
      sourceType: string;
      unreadableFields: string[];
      attachments: MailMessage['attachments'];
    }
  | { outcome: 'refused'; reason: MailRefusal }
  | { outcome: 'duplicate' };

/** Why a message is not a signal, in the words the processing log uses. */
export const REFUSAL_REASONS: Record<MailRefusal, string> = {
  spam: 'the receiving service judged it spam',
  virus: 'the receiving service found a virus',
  authentication: 'both SPF and DKIM failed: the sender is not who it says',
  'too-large': 'larger than the channel accepts',
  unreadable: 'the MIME structure could not be read',
};

function refusalOf(message: MailMessage): MailRefusal | undefined {
  const { spam, virus, spf, dkim } = message.verdicts;
  if (virus === 'FAIL') return 'virus';
  if (spam === 'FAIL') return 'spam';
  if (spf === 'fail' && dkim === 'fail') return 'authentication';
  return undefined;
}

/**
 * Takes one received e-mail in as a signal: the same pseudonymisation, encryption and queue as the API.
 * The same message twice (same Message-ID from the same sender, or the same delivery again) is one signal.
 */
export async function takeInMail(delivery: MailDelivery, ports: MailIntakePorts): Promise<MailOutcome> {
  let message: MailMessage;
  try {
    message = await ports.parser.parse(delivery.raw);
  } catch (error) {
    return { outcome: 'refused', reason: error instanceof MailTooLargeError ? 'too-large' : 'unreadable' };
  }
  const refusal = refusalOf(message);
  if (refusal) return { outcome: 'refused', reason: refusal };

  const sender = await findSender(ports.senders, message.from);
  const mail = signalFromMail({
    text: message.text,
    receivedAt: delivery.receivedAt,
    ...(message.sentAt && { sentAt: message.sentAt }),
    ...(sender?.province && { senderProvince: sender.province }),
  });
  const principal: Principal = {
    organisation: sender?.organisation ?? UNKNOWN,
    sourceType: sender?.sourceType ?? UNKNOWN,
    scopes: [],
    region: sender?.region ?? geography.defaultRegion,
    ...(sender?.legalBasis && { legalBasis: sender.legalBasis }),
  };
  // A Message-ID is only unique per sender; without one, the delivery itself is the retry key.
  const idempotencyKey = message.messageId ? `message-id\u0000${message.from ?? ''}\u0000${message.messageId}` : `delivery\u0000${delivery.deliveryId}`;

  const result = await acceptSignal({ input: mail.input, principal, channel: 'email', idempotencyKey, status: mail.status }, ports);
  if (result.outcome === 'conflict') return { outcome: 'duplicate' };
  // A mail's signal states no source type (the template has no such field): it counts under its sender's.
  if (result.outcome === 'refused') throw new Error('a mail signal states no source type, so it cannot be refused one');
  return {
    outcome: 'accepted',
    signalId: result.signalId,
    replayed: result.replayed,
    status: mail.status,
    template: mail.template,
    senderKnown: sender !== undefined,
    sourceType: principal.sourceType,
    unreadableFields: mail.unreadableFields,
    attachments: message.attachments,
  };
}
