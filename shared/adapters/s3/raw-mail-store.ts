import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { MailLocation, RawMailStore } from '#domain/intake/mail/index.js';

/** The messages SES stored in the mail bucket; the bucket's KMS encryption is transparent to reading. */
export class S3RawMailStore implements RawMailStore {
  constructor(private readonly client: S3Client) {}

  async get({ bucket, key }: MailLocation): Promise<Uint8Array | undefined> {
    try {
      const { Body } = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Body ? await Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async delete({ bucket, key }: MailLocation): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  }
}
