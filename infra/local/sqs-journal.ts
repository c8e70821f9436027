import { closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';

/**
 * Makes the local SQS emulator as durable as SQS: the emulator keeps its queues in memory, so a message
 * sent just before the runner is killed would be lost, and a partner that was answered 202 would not
 * send it again. This proxy sits in front of the emulator and writes every message a client sends to an
 * append-only journal, synced to disk, before it forwards the send; a delete marks its message done. At
 * the next start the messages not done are sent to their queues again. The consumer stores a signal
 * once whatever arrives twice, so a message both delivered and re-sent costs nothing.
 *
 * It speaks the AWS JSON protocol the SDK uses (X-Amz-Target: AmazonSQS.<Action>); anything else passes
 * through unjournaled.
 */
type Entry = { op: 'send'; id: string; queue: string; message: Record<string, unknown> } | { op: 'done'; id: string };

export interface SqsJournalOptions {
  /** The emulator's endpoint, e.g. http://127.0.0.1:9324. */
  upstream: string;
  port: number;
  file: string;
  log: (line: string) => void;
}

/** A queue's name from its URL (the emulator's URLs change with its port; the name does not). */
const queueNameOf = (queueUrl: unknown) => String(queueUrl).split('/').pop() ?? '';

/** What a SendMessage or a SendMessageBatch entry carries, without the fields that belong to one request. */
function messageOf(entry: Record<string, unknown>): Record<string, unknown> {
  const { Id: _id, QueueUrl: _url, ...message } = entry;
  return message;
}

export class SqsJournal {
  private fd: number;
  private lines = 0;
  /** Lines appended so far, and how many of them the last finished sync covered. */
  private appended = 0;
  private durableUpTo = 0;
  /** The sync under way, which every request waiting for its lines shares. */
  private syncing: Promise<void> | undefined;
  /** How many syncs the sends have cost so far. */
  syncs = 0;
  private nextId = 1;
  /** Journal ids of messages not yet deleted, with what is needed to send them again. */
  private readonly pending = new Map<string, { queue: string; message: Record<string, unknown> }>();
  private readonly journalIdOfMessage = new Map<string, string>();
  private readonly messageIdOfReceipt = new Map<string, string>();
  private server: Server | undefined;
  /** The proxy's own origin, once listening: queue URLs name it, so that clients that address a queue by its URL come here. */
  private origin = '';

  private constructor(private readonly options: SqsJournalOptions) {
    if (existsSync(options.file)) {
      for (const line of readFileSync(options.file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as Entry;
          if (entry.op === 'send') this.pending.set(entry.id, { queue: entry.queue, message: entry.message });
          else this.pending.delete(entry.id);
          this.nextId = Math.max(this.nextId, Number(entry.id) + 1);
        } catch {
          // A line cut short by a crash while it was written: its send was never forwarded.
        }
      }
    }
    this.fd = openSync(options.file, 'a');
  }

  /** Opens the journal; what it holds undone is sent again by `recover` once the queues exist. */
  static open(options: SqsJournalOptions): SqsJournal {
    return new SqsJournal(options);
  }

  private append(entry: Entry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.lines++;
    this.appended++;
  }

  /**
   * Resolves once every line appended so far is on disk. A group commit: the sends that arrive while a sync
   * runs share the next one (50 at once cost two syncs, not 50), and the sync runs off the event loop, so
   * the API goes on meanwhile. What waits here is forwarded, and so acknowledged, only after its sync.
   */
  private async durable(): Promise<void> {
    const target = this.appended;
    while (this.durableUpTo < target) {
      if (!this.syncing) {
        const covering = this.appended;
        const fd = this.fd;
        this.syncs++;
        this.syncing = new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())))
          .then(() => {
            this.durableUpTo = Math.max(this.durableUpTo, covering);
          })
          .finally(() => {
            this.syncing = undefined;
          });
      }
      await this.syncing;
    }
  }

  /** Sends the messages of an earlier run that were never deleted, then starts the journal afresh with them. */
  async recover(queueUrlOf: (name: string) => string | undefined): Promise<number> {
    // Each keeps its journal entry, so a crash during recovery loses nothing either.
    let resent = 0;
    for (const [id, { queue, message }] of this.pending) {
      const queueUrl = queueUrlOf(queue);
      if (!queueUrl) continue;
      const answer = await this.forward(
        { method: 'POST', path: '/', headers: { 'x-amz-target': 'AmazonSQS.SendMessage', 'content-type': 'application/x-amz-json-1.0' } },
        JSON.stringify({ ...message, QueueUrl: queueUrl }),
      );
      const messageId = (JSON.parse(answer.body) as { MessageId?: string }).MessageId;
      if (messageId) {
        this.journalIdOfMessage.set(messageId, id);
        resent++;
      }
    }
    this.compact();
    if (resent) this.options.log(`${resent} message(s) accepted before the last stop were put back on their queues`);
    return resent;
  }

  /** Rewrites the journal with only what is still pending, so that it does not grow without end. */
  private compact(): void {
    const temporary = `${this.options.file}.tmp`;
    const fd = openSync(temporary, 'w');
    for (const [id, { queue, message }] of this.pending) writeSync(fd, `${JSON.stringify({ op: 'send', id, queue, message })}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, this.options.file);
    closeSync(this.fd);
    this.fd = openSync(this.options.file, 'a');
    this.lines = this.pending.size;
    // Everything still pending is in the new file, synced.
    this.durableUpTo = this.appended;
  }

  private forward(
    request: { method: string; path: string; headers: Record<string, string> },
    body: string,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
    const url = new URL(this.options.upstream);
    // The emulator names queues by its own address; clients know them by the proxy's.
    const upstreamOrigin = url.origin;
    if (this.origin) body = body.replaceAll(this.origin, upstreamOrigin);
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: request.method,
          path: request.path,
          headers: { ...request.headers, 'content-length': Buffer.byteLength(body) },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (c: Buffer) => chunks.push(c));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: response.statusCode ?? 502, headers: response.headers, body: this.origin ? text.replaceAll(upstreamOrigin, this.origin) : text });
          });
          response.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** Journals what the request sends before it goes on; returns the journal ids, in entry order, once they are on disk. */
  private async beforeForward(action: string, request: Record<string, unknown>): Promise<string[]> {
    const queue = queueNameOf(request.QueueUrl);
    const sends =
      action === 'SendMessage' ? [request] : action === 'SendMessageBatch' ? ((request.Entries as Record<string, unknown>[] | undefined) ?? []) : [];
    const ids = sends.map((entry) => {
      const id = String(this.nextId++);
      this.append({ op: 'send', id, queue, message: messageOf(entry) });
      this.pending.set(id, { queue, message: messageOf(entry) });
      return id;
    });
    // Synced before the send is forwarded, so a 202 is answered after it.
    if (ids.length) await this.durable();
    return ids;
  }

  private afterForward(action: string, request: Record<string, unknown>, answer: Record<string, unknown>, journalIds: string[]): void {
    const done = (id: string | undefined) => {
      if (!id || !this.pending.delete(id)) return;
      this.append({ op: 'done', id });
    };
    if (action === 'SendMessage') {
      if (typeof answer.MessageId === 'string') this.journalIdOfMessage.set(answer.MessageId, journalIds[0]!);
      else done(journalIds[0]);
    } else if (action === 'SendMessageBatch') {
      const entries = (request.Entries as { Id: string }[] | undefined) ?? [];
      const byEntry = new Map(entries.map((e, i) => [e.Id, journalIds[i]]));
      for (const ok of (answer.Successful as { Id: string; MessageId: string }[] | undefined) ?? [])
        this.journalIdOfMessage.set(ok.MessageId, byEntry.get(ok.Id)!);
      for (const failed of (answer.Failed as { Id: string }[] | undefined) ?? []) done(byEntry.get(failed.Id));
    } else if (action === 'ReceiveMessage') {
      for (const m of (answer.Messages as { MessageId: string; ReceiptHandle: string }[] | undefined) ?? [])
        this.messageIdOfReceipt.set(m.ReceiptHandle, m.MessageId);
    } else if (action === 'DeleteMessage') {
      this.deleted(String(request.ReceiptHandle), done);
    } else if (action === 'DeleteMessageBatch') {
      const entries = new Map(((request.Entries as { Id: string; ReceiptHandle: string }[] | undefined) ?? []).map((e) => [e.Id, e.ReceiptHandle]));
      for (const ok of (answer.Successful as { Id: string }[] | undefined) ?? []) this.deleted(entries.get(ok.Id) ?? '', done);
    }
    // Not while a sync runs on the file that compacting replaces.
    if (!this.syncing && this.lines > 10_000 && this.lines > 4 * this.pending.size) this.compact();
  }

  private deleted(receiptHandle: string, done: (id: string | undefined) => void): void {
    const messageId = this.messageIdOfReceipt.get(receiptHandle);
    this.messageIdOfReceipt.delete(receiptHandle);
    if (!messageId) return;
    done(this.journalIdOfMessage.get(messageId));
    this.journalIdOfMessage.delete(messageId);
  }

  /** Starts the proxy; clients use its endpoint as their SQS endpoint. */
  async listen(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('error', () => res.destroy());
      req.on('end', async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const target = String(req.headers['x-amz-target'] ?? '');
        const action = target.startsWith('AmazonSQS.') ? target.slice('AmazonSQS.'.length) : '';
        let request: Record<string, unknown> = {};
        try {
          request = action ? (JSON.parse(body) as Record<string, unknown>) : {};
        } catch {
          // Not ours to judge: the emulator answers it.
        }
        try {
          const journalIds = await this.beforeForward(action, request);
          const headers = Object.fromEntries(
            Object.entries(req.headers).filter(([name]) => !['host', 'content-length', 'connection'].includes(name)),
          ) as Record<string, string>;
          const answer = await this.forward({ method: req.method ?? 'POST', path: req.url ?? '/', headers }, body);
          if (answer.status < 300) {
            try {
              this.afterForward(action, request, JSON.parse(answer.body || '{}') as Record<string, unknown>, journalIds);
            } catch {
              // An answer we cannot read leaves the message pending: sent again at the next start at worst.
            }
          }
          res.writeHead(answer.status, { 'content-type': String(answer.headers['content-type'] ?? 'application/x-amz-json-1.0') }).end(answer.body);
        } catch (error) {
          this.options.log(`SQS journal: ${(error as Error).message}`);
          if (!res.headersSent) res.writeHead(503, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify({ __type: 'com.amazonaws.sqs#ServiceUnavailable', message: 'the local SQS emulator did not answer' }));
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(this.options.port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : this.options.port}`;
    return this.origin;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.syncing?.catch(() => undefined);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
