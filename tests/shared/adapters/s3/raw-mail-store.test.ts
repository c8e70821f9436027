import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3RawMailStore } from '#adapters/s3/raw-mail-store.js';

const s3 = mockClient(S3Client);
beforeEach(() => s3.reset());
const location = { bucket: 'mail-bucket', key: 'inbound/abc' };
/** The SDK's response body, as far as the store uses it. */
const streamOf = (text: string) => ({ transformToByteArray: async () => new Uint8Array(Buffer.from(text)) }) as never;

describe('S3RawMailStore', () => {
  it('reads the stored message as bytes', async () => {
    s3.on(GetObjectCommand, { Bucket: 'mail-bucket', Key: 'inbound/abc' }).resolves({ Body: streamOf('From: a@b.nl') });
    const raw = await new S3RawMailStore(new S3Client({})).get(location);
    expect(Buffer.from(raw!).toString()).toBe('From: a@b.nl');
  });

  it('answers undefined when the object is gone (an earlier delivery processed it)', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    expect(await new S3RawMailStore(new S3Client({})).get(location)).toBeUndefined();
  });

  it('passes on other failures, so Lambda retries', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(new S3RawMailStore(new S3Client({})).get(location)).rejects.toThrow('Access Denied');
  });

  it('deletes the object it read', async () => {
    s3.on(DeleteObjectCommand).resolves({});
    await new S3RawMailStore(new S3Client({})).delete(location);
    expect(s3.commandCalls(DeleteObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'mail-bucket', Key: 'inbound/abc' });
  });
});
