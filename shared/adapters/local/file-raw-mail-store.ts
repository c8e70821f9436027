import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import type { MailLocation, RawMailStore } from '#domain/intake/mail/index.js';
import { type DataKeyProvider, decryptBytes, encryptBytes } from '#domain/privacy/index.js';
import { EncryptedTextSchema } from '#domain/signal/index.js';

/**
 * Received messages as files, for running on one machine: the part the S3 bucket plays on AWS. Like the
 * bucket's KMS encryption, each file is encrypted under the local envelope key, so no mail rests readable.
 */
export class FileRawMailStore implements RawMailStore {
  private readonly root: string;

  constructor(
    root: string,
    private readonly keys: DataKeyProvider,
  ) {
    this.root = resolve(root);
  }

  private pathOf({ bucket, key }: MailLocation): string {
    const path = resolve(this.root, bucket, key);
    if (!path.startsWith(this.root + sep) || key.includes('..')) throw new Error(`mail location outside the store: ${bucket}/${key}`);
    return path;
  }

  async put(location: MailLocation, raw: Uint8Array): Promise<void> {
    const path = this.pathOf(location);
    await mkdir(dirname(path), { recursive: true });
    // Written whole, then renamed: a reader never sees half a message.
    const partial = `${path}.partial`;
    await writeFile(partial, JSON.stringify(await encryptBytes(raw, this.keys)), { mode: 0o600 });
    await rename(partial, path);
  }

  async get(location: MailLocation): Promise<Uint8Array | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathOf(location), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return decryptBytes(EncryptedTextSchema.parse(JSON.parse(text)), this.keys);
  }

  async delete(location: MailLocation): Promise<void> {
    await rm(this.pathOf(location), { force: true });
  }

  /** Where a bucket's files are, for the runner's clean-up and for tests. */
  directoryOf(bucket: string): string {
    return join(this.root, bucket);
  }
}
