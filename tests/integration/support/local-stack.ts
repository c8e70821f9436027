import { type ChildProcess, fork } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand, PutItemCommand, ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type Message, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer/index.js';
import type { LocalStackReady } from '../../../infra/local/stack.js';

const root = resolve(import.meta.dirname, '../../..');
const LOCAL_AWS = { region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

type Ready = LocalStackReady;

/**
 * The local stack exactly as `npm start` runs it, in a child process on free ports, driven over the
 * network. Its stdout and stderr are kept, so a test can read every log line it wrote.
 */
export class TestStack {
  logs = '';
  dataDir = '';
  ready!: Ready;
  dynamo!: DynamoDBClient;
  sqs!: SQSClient;
  private child!: ChildProcess;
  private nextId = 1;

  static async start(options: { inMemory?: boolean; dataDir?: string; env?: Record<string, string> } = {}): Promise<TestStack> {
    const stack = new TestStack();
    stack.dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'meldroute-test-'));
    const args = ['--data-dir', stack.dataDir, ...(options.inMemory === false ? [] : ['--in-memory'])];
    stack.child = fork(join(root, 'infra/local/start.ts'), args, {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PORT: '0', SQS_PORT: '0', DYNAMODB_PORT: '0', SMTP_PORT: '0', NODE_NO_WARNINGS: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    stack.child.stdout!.on('data', (d) => (stack.logs += d));
    stack.child.stderr!.on('data', (d) => (stack.logs += d));
    stack.ready = await new Promise<Ready>((resolveReady, reject) => {
      stack.child.on('message', (m: { type: string } & Ready) => m.type === 'ready' && resolveReady(m));
      stack.child.once('exit', (code) => reject(new Error(`local stack exited (${code}) during start-up:\n${stack.logs}`)));
    });
    stack.dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.ready.dynamoDbEndpoint });
    stack.sqs = new SQSClient({ ...LOCAL_AWS, endpoint: stack.ready.sqsEndpoint });
    return stack;
  }

  /** The runner's process id, to read its memory. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  key(scope: 'signals:write' | 'statistics:read' | 'audit:read' | 'signals:triage' | 'privacy:erase'): string {
    return this.ready.credentials.keys.find((k) => k.scopes.includes(scope))!.key;
  }

  /** Registers another partner's key, as the key script does: only its hash is stored. */
  async addKey(organisation: string, scopes: string[]): Promise<string> {
    const key = `mr_test_${randomBytes(16).toString('hex')}`;
    await this.dynamo.send(
      new PutItemCommand({
        TableName: 'meldroute-partners',
        Item: {
          pk: { S: `key#${createHash('sha256').update(key).digest('hex')}` },
          organisation: { S: organisation },
          sourceType: { S: 'politie' },
          scopes: { L: scopes.map((s) => ({ S: s })) },
          region: { S: 'noord-nederland' },
        },
      }),
    );
    return key;
  }

  /** Delivers a message to the local meldpunt over SMTP, as any mail client would. */
  async sendMail(message: Mail.Options): Promise<{ response: string }> {
    const transport = createTransport({ host: '127.0.0.1', port: this.ready.smtpPort, secure: false, ignoreTLS: true });
    try {
      return await transport.sendMail({ to: this.ready.mailRecipients[0], ...message });
    } finally {
      transport.close();
    }
  }

  /** Registers a mail sender's domain, as `npm run keys -- sender` does. */
  async addMailSender(domain: string, sender: { organisation: string; sourceType: string; province?: string }): Promise<void> {
    await this.dynamo.send(
      new PutItemCommand({
        TableName: 'meldroute-partners',
        Item: {
          pk: { S: `sender#domain#${domain}` },
          organisation: { S: sender.organisation },
          sourceType: { S: sender.sourceType },
          region: { S: 'noord-nederland' },
          ...(sender.province && { province: { S: sender.province } }),
        },
      }),
    );
  }

  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return fetch(`${this.ready.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.key('signals:write')}`, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  }

  command(command: 'pause-consumer' | 'resume-consumer' | 'replay-stream' | 'stop-dynamodb'): Promise<void> {
    const id = this.nextId++;
    return new Promise((done) => {
      const onMessage = (m: { type: string; id: number }) => {
        if (m.type === 'ack' && m.id === id) {
          this.child.off('message', onMessage);
          done();
        }
      };
      this.child.on('message', onMessage);
      this.child.send({ id, command });
    });
  }

  post(body: unknown, headers: Record<string, string> = {}, path = '/v1/signals'): Promise<Response> {
    return fetch(`${this.ready.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.key('signals:write')}`, 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  async statistics(query: string): Promise<Record<string, any>> {
    const response = await fetch(`${this.ready.apiUrl}/v1/statistics?${query}`, { headers: { 'x-api-key': this.key('statistics:read') } });
    if (response.status !== 200) throw new Error(`statistics answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<Record<string, any>>;
  }

  /** Polls the statistics until the predicate holds; returns them, or throws with the last seen. */
  async waitForStatistics(query: string, predicate: (s: Record<string, any>) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let last: Record<string, any> = {};
    while (Date.now() < deadline) {
      last = await this.statistics(query);
      if (predicate(last)) return last;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`statistics never matched; last: ${JSON.stringify(last).slice(0, 400)}`);
  }

  /**
   * Waits until the queue is empty and the aggregator has applied every stored signal's current version:
   * not only its first, for linking a repeat and the table's changes raise a signal's version after it
   * was first counted, and its counts move once more.
   */
  async settle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { Attributes } = await this.sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: this.ready.queues.signals,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      const queued = Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
      const applied = new Map(
        (await this.scan('meldroute-statistics'))
          .filter((i) => String(i.pk).startsWith('applied#'))
          .map((i) => [String(i.pk).slice('applied#'.length), i.version]),
      );
      const signals = await this.scan('meldroute-signals');
      if (queued === 0 && signals.every((s) => applied.get(s.signalId) === s.version)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the pipeline did not settle');
  }

  async scan(table: string): Promise<Record<string, any>[]> {
    const items: Record<string, any>[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await this.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      items.push(...(page.Items ?? []).map((i) => unmarshall(i)));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async tableNames(): Promise<string[]> {
    return (await this.dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
  }

  /**
   * Receives what is on a queue without consuming it: it is visible again a second later. (With a
   * visibility timeout of 0 the emulator hands the same message over several times in one receive.)
   */
  async peek(queueUrl: string, max = 10): Promise<Message[]> {
    const { Messages } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        VisibilityTimeout: 1,
        MessageSystemAttributeNames: ['All'],
        AttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  }

  /** Peeks until the queue shows at least `count` messages (a peeked message hides for a second). */
  async waitForMessages(queueUrl: string, count: number, timeoutMs = 15_000): Promise<Message[]> {
    const deadline = Date.now() + timeoutMs;
    // A receive may return fewer messages than are there (SQS samples servers; the emulator splits under
    // load): what several peeks saw is gathered by id.
    const seen = new Map<string, Message>();
    while (Date.now() < deadline) {
      for (const message of await this.peek(queueUrl)) seen.set(message.MessageId!, message);
      if (seen.size >= count) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    return [...seen.values()];
  }

  async updateSignal(signalId: string, update: { form?: string; status?: string; municipality?: string }): Promise<void> {
    const names = Object.keys(update);
    await this.dynamo.send(
      new UpdateItemCommand({
        TableName: 'meldroute-signals',
        Key: { signalId: { S: signalId } },
        UpdateExpression: `SET ${names.map((_n, i) => `#n${i} = :v${i}`).join(', ')}, version = version + :one`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#n${i}`, n])),
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((n, i) => [`:v${i}`, { S: update[n as keyof typeof update]! }])),
          ':one': { N: '1' },
        },
      }),
    );
  }

  /** The runner still runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the runner as `kill -9` would: it gets no chance to stop what it started. */
  async killHard(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Stops the runner as Ctrl-C does, keeping its data. */
  async interrupt(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGINT');
    await exited;
  }

  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    this.dynamo?.destroy();
    this.sqs?.destroy();
    if (this.child && this.running) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      await exited;
    }
    if (!options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
