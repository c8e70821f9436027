import type { S3Event } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { MailLocation, RawMailStore } from '#domain/intake/mail/index.js';
import { mailEventHandler } from '../../../functions/email-intake/mail-event.js';
import { memoryMailIntakePorts } from '../../support/in-memory-ports.js';

/** An S3 ObjectCreated event as S3 sends it when SES's receipt rule stored a message (key URL-encoded). */
function sesToS3Event(key: string, size: number): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'eu-west-1',
        eventTime: '2026-11-23T09:41:07.318Z',
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:AROAEXAMPLE:ses' },
        requestParameters: { sourceIPAddress: '10.0.12.34' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'MeldrouteMailReceived',
          bucket: {
            name: 'meldroute-dev-mailbucket-1a2b3c',
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: 'arn:aws:s3:::meldroute-dev-mailbucket-1a2b3c',
          },
          object: { key, size, eTag: 'd41d8cd98f00b204e9800998ecf8427e', sequencer: '0055AED6DCD90281E5' },
        },
      },
    ],
  };
}

class MemoryMail implements RawMailStore {
  readonly objects = new Map<string, Uint8Array>();
  readonly deleted: string[] = [];
  async get({ bucket, key }: MailLocation) {
    return this.objects.get(`${bucket}/${key}`);
  }
  async delete({ bucket, key }: MailLocation) {
    this.deleted.push(`${bucket}/${key}`);
    this.objects.delete(`${bucket}/${key}`);
  }
}

function setUp() {
  const { queue, intake } = memoryMailIntakePorts();
  const mail = new MemoryMail();
  return { queue, mail, handler: mailEventHandler({ intake, mail }) };
}

const raw = Buffer.from('From: a@b.nl\r\nMessage-ID: <1@b.nl>\r\n\r\nGemeente: Emmen\r\nVorm: seksueel\r\nDatum: 14-03-2023\r\n');
const bucket = 'meldroute-dev-mailbucket-1a2b3c';

describe('the e-mail intake handler', () => {
  it('reads the object an SES-to-S3 event names (URL-encoded key), enqueues its signal and deletes it', async () => {
    const { queue, mail, handler } = setUp();
    mail.objects.set(`${bucket}/inbound/o3vjdvtt 9tkb5g`, raw);
    await handler(sesToS3Event('inbound/o3vjdvtt+9tkb5g', raw.byteLength));
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]).toMatchObject({ channel: 'email', municipality: 'GM0114', form: 'seksueel', observedAt: '2023-03-14' });
    expect(mail.deleted).toEqual([`${bucket}/inbound/o3vjdvtt 9tkb5g`]);
  });

  it('takes the receipt moment from the event, so a redelivered event is the same signal', async () => {
    const { queue, mail, handler } = setUp();
    const undated = Buffer.from('From: a@b.nl\r\n\r\nIk zag iets.');
    mail.objects.set(`${bucket}/inbound/k1`, undated);
    await handler(sesToS3Event('inbound/k1', undated.byteLength));
    mail.objects.set(`${bucket}/inbound/k1`, undated);
    await handler(sesToS3Event('inbound/k1', undated.byteLength));
    expect(queue.sent.map((r) => r.observedAt)).toEqual(['2026-11-23', '2026-11-23']);
    expect(new Set(queue.sent.map((r) => r.signalId)).size).toBe(1);
  });

  it('does nothing for a redelivered event whose object is already processed and gone', async () => {
    const { queue, handler } = setUp();
    await handler(sesToS3Event('inbound/gone', 100));
    expect(queue.sent).toHaveLength(0);
  });

  it('refuses and deletes an object larger than the channel accepts without reading it', async () => {
    const { queue, mail, handler } = setUp();
    mail.objects.set(`${bucket}/inbound/big`, raw);
    await handler(sesToS3Event('inbound/big', 11 * 1024 * 1024));
    expect(queue.sent).toHaveLength(0);
    expect(mail.deleted).toEqual([`${bucket}/inbound/big`]);
  });

  it('keeps the object when the queue fails, so that the retry finds it', async () => {
    const { queue, mail, handler } = setUp();
    queue.send = async () => {
      throw new Error('queue down');
    };
    mail.objects.set(`${bucket}/inbound/k2`, raw);
    await expect(handler(sesToS3Event('inbound/k2', raw.byteLength))).rejects.toThrow('queue down');
    expect(mail.objects.has(`${bucket}/inbound/k2`)).toBe(true);
  });
});
