import type { S3Event, S3EventRecord } from 'aws-lambda';
import { MAIL_LIMITS, type MailIntakePorts, type MailLocation, type RawMailStore, REFUSAL_REASONS, takeInMail } from '#domain/intake/mail/index.js';
import { logger } from '../lib/logger.js';
import { countAccepted, countMetric } from '../lib/metrics.js';

export interface MailEventPorts {
  intake: MailIntakePorts;
  mail: RawMailStore;
}

/** S3 event keys are URL-encoded, with "+" for a space. */
export const locationOf = (record: S3EventRecord): MailLocation => ({
  bucket: record.s3.bucket.name,
  key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
});

/**
 * One stored message: made a signal (or refused, with the reason logged), then deleted once the signal
 * is on the queue. A failure leaves the object for Lambda's retry; a retry of a processed one finds it gone.
 */
async function processRecord(record: S3EventRecord, ports: MailEventPorts): Promise<void> {
  const location = locationOf(record);
  // The object key is SES's delivery id: the correlation id of everything logged about this message.
  const log = { correlation_id: location.key, bytes: record.s3.object.size };
  if (record.s3.object.size > MAIL_LIMITS.maxMessageBytes) {
    logger.warn('mail refused', { ...log, reason: REFUSAL_REASONS['too-large'] });
    countMetric('MailRefused', 'too-large');
    await ports.mail.delete(location);
    return;
  }
  const raw = await ports.mail.get(location);
  if (!raw) {
    logger.info('mail already processed', log);
    return;
  }
  const outcome = await takeInMail({ raw, receivedAt: new Date(record.eventTime), deliveryId: location.key }, ports.intake);
  if (outcome.outcome === 'refused') {
    logger.warn('mail refused', { ...log, reason: REFUSAL_REASONS[outcome.reason] });
    countMetric('MailRefused', outcome.reason);
  } else if (outcome.outcome === 'duplicate') {
    logger.info('mail is a duplicate: its Message-ID came before with other content', log);
  } else {
    const { outcome: _, ...details } = outcome;
    // Field names, counts and media types only: never a value from the message.
    logger.info('mail accepted', { ...log, ...details });
    if (!details.replayed) countAccepted('email', details.sourceType);
    if (details.unreadableFields.length)
      logger.warn('mail fields unreadable, left onbekend', { ...log, signalId: details.signalId, fields: details.unreadableFields });
  }
  await ports.mail.delete(location);
}

/** Handles S3 ObjectCreated events for received mail. */
export function mailEventHandler(ports: MailEventPorts) {
  return async (event: S3Event): Promise<void> => {
    for (const record of event.Records) await processRecord(record, ports);
  };
}
