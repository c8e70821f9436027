import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { FileDataKeyProvider } from '#adapters/local/file-key-material.js';
import { FileRawMailStore } from '#adapters/local/file-raw-mail-store.js';
import { eventFunctions, ROUTE_PERMISSIONS_ENV, routePermissions } from '../../functions/routes.js';
import { buildWeb } from '../../web/build.js';
import { eventSources, mailBucket, queues, tables } from '../resources.js';
import { type RunningDynamoDb, startDynamoDbLocal, stopOrphanedDynamoDb } from './dynamodb-local.js';
import { LocalFunctions } from './functions.js';
import { drainHttpGateway, startHttpGateway } from './http-gateway.js';
import { freePort, resolvePort, sleep } from './network.js';
import { createQueues, createTables, ensureKeyFiles, type LocalCredentials, provisionCredentials, type QueueUrls } from './provision.js';
import { S3Notifier } from './s3-notifier.js';
import { startSmtpGateway } from './smtp-gateway.js';
import { SqsJournal } from './sqs-journal.js';
import { type RunningSqs, startSqsLocal } from './sqs-local.js';
import { SqsPoller } from './sqs-poller.js';
import { StreamPoller } from './stream-poller.js';

export interface LocalStackOptions {
  /** 0 picks a free port. */
  httpPort: number;
  sqsPort: number;
  dynamoDbPort: number;
  smtpPort: number;
  /** The addresses the local SMTP server accepts mail for. */
  mailRecipients: string[];
  /** Where keys, credentials and (unless inMemory) the DynamoDB data live. */
  dataDir: string;
  inMemory: boolean;
  log: (line: string) => void;
}

export interface LocalStack {
  apiUrl: string;
  sqsEndpoint: string;
  dynamoDbEndpoint: string;
  smtpPort: number;
  mailRecipients: string[];
  /** Where received mail rests (encrypted) until the e-mail intake has processed it. */
  mailDir: string;
  queues: QueueUrls;
  credentials: LocalCredentials;
  credentialsPath: string;
  consumer: SqsPoller;
  aggregator: StreamPoller;
  /** Stops DynamoDB Local alone, for a test of what the API answers without it. */
  stopDynamoDb(): Promise<void>;
  stop(): Promise<void>;
}

/** What `npm start` tells a parent process (the integration tests) once it is up. */
export type LocalStackReady = Pick<
  LocalStack,
  'apiUrl' | 'sqsEndpoint' | 'dynamoDbEndpoint' | 'smtpPort' | 'mailRecipients' | 'mailDir' | 'queues' | 'credentials'
>;

const REGION = 'eu-central-1';
const LOCAL_AWS = { region: REGION, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

/**
 * DynamoDB Local on the port asked for, or on a free one. Java is told its port, so a free port can be taken
 * by another process before it binds: then it tries another, up to three times.
 */
async function startDynamoDb(requested: number, dataDir: string | undefined, pidFile: string): Promise<RunningDynamoDb> {
  if (requested !== 0) return startDynamoDbLocal(await resolvePort(requested, 'DynamoDB Local', 'DYNAMODB_PORT'), dataDir, LOCAL_AWS, pidFile);
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDynamoDbLocal(await freePort(), dataDir, LOCAL_AWS, pidFile);
    } catch (error) {
      if (attempt === 3 || !/BindException|Address already in use/i.test((error as Error).message)) throw error;
    }
  }
}

/**
 * Brings up the pipeline on this machine: DynamoDB Local, the SQS emulator, the HTTP gateway and the
 * event source pollers, all driving the real handlers. It plays AWS's part and nothing more.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  // Before the ports are checked: a DynamoDB Local left by a killed runner may hold one of them.
  const dynamoPidFile = join(dataDir, 'dynamodb-local.pid');
  await stopOrphanedDynamoDb(dynamoPidFile, options.log);
  const httpPort = await resolvePort(options.httpPort, 'HTTP API', 'PORT');
  const sqsPort = await resolvePort(options.sqsPort, 'SQS emulator', 'SQS_PORT');
  const requestedSmtpPort = await resolvePort(options.smtpPort, 'SMTP server', 'SMTP_PORT');

  const started: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch(() => undefined);
  };
  try {
    const dynamo = await startDynamoDb(options.dynamoDbPort, options.inMemory ? undefined : join(dataDir, 'dynamodb'), dynamoPidFile);
    started.push(dynamo.stop);
    // SQS keeps what it acknowledged; the emulator keeps it in memory only. Its journal (on SQS_PORT, in
    // front of the emulator on a port of its own) writes every message to disk before it is passed on.
    // A throw-away run (--in-memory) keeps nothing, so it goes to the emulator directly.
    const emulator: RunningSqs = await startSqsLocal(options.inMemory ? sqsPort : 0, REGION);
    started.push(emulator.stop);
    const journal = options.inMemory
      ? undefined
      : SqsJournal.open({ upstream: emulator.endpoint, port: sqsPort, file: join(dataDir, 'sqs-journal.jsonl'), log: options.log });
    const sqsServer = { endpoint: journal ? await journal.listen() : emulator.endpoint };
    if (journal) started.push(() => journal.close());

    const dynamoClient = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsServer.endpoint });
    const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
    const { signalsStreamArn } = await createTables(dynamoClient);
    const queueUrls = await createQueues(sqs);
    // Messages acknowledged before the last stop and never processed go back on their queues.
    await journal?.recover((name) => Object.values(queueUrls).find((url) => url.endsWith(`/${name}`)));
    const keyDir = join(dataDir, 'keys');
    ensureKeyFiles(keyDir);
    const credentialsPath = join(dataDir, 'credentials.json');
    const credentials = await provisionCredentials(credentialsPath, dynamoClient);
    const mailDir = join(dataDir, 'mail');

    // What Lambda's configuration would give each function; the handlers read nothing else.
    Object.assign(process.env, {
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: sqsServer.endpoint,
      LOCAL_KEY_DIR: keyDir,
      LOCAL_MAIL_DIR: mailDir,
      [queues.signals.env]: queueUrls.signals,
      [ROUTE_PERMISSIONS_ENV]: JSON.stringify(routePermissions()),
      POWERTOOLS_SERVICE_NAME: process.env.POWERTOOLS_SERVICE_NAME ?? 'meldroute',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
      // On AWS CloudWatch turns the EMF lines in a function's log into metrics; here nothing would read them.
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      ...Object.fromEntries(Object.values(tables).map((t) => [t.env, t.name])),
    });

    // The functions events invoke run in a thread of their own, as on Lambda each function runs apart:
    // storing and counting the signals accepted does not hold up the API that accepts the next ones.
    const functions = new LocalFunctions(resolve(import.meta.dirname, '../..'), REGION, { apart: Object.values(eventFunctions) });
    started.push(() => functions.close());
    const consumer = new SqsPoller(sqs, functions, {
      queueUrl: queueUrls.signals,
      queueArn: queueUrls.signalsArn,
      region: REGION,
      functionName: eventFunctions.signalQueue,
      batchSize: eventSources.signalConsumer.batchSize,
      concurrency: 2,
      log: options.log,
    });
    const aggregator = new StreamPoller(streams, sqs, functions, {
      streamArn: signalsStreamArn,
      region: REGION,
      functionName: eventFunctions.signalsStream,
      batchSize: eventSources.aggregator.batchSize,
      maxRetries: eventSources.aggregator.maxRetries,
      failureQueueUrl: queueUrls.aggregatorFailures,
      pollIntervalMs: 50,
      log: options.log,
    });
    consumer.start();
    started.push(() => consumer.stop());
    aggregator.start();
    started.push(() => aggregator.stop());
    const everyMs = (name: string, seconds: number) => Number(process.env[name] ?? seconds) * 1000;
    started.push(playSchedule(functions, eventFunctions.releaseSchedule, everyMs('LOCAL_RELEASE_SCHEDULE_SECONDS', 60), REGION, options.log));
    started.push(playSchedule(functions, eventFunctions.retentionSchedule, everyMs('LOCAL_RETENTION_SCHEDULE_SECONDS', 3600), REGION, options.log));

    // Stops run in reverse: the gateway drains first, then signals accepted just before the stop are
    // stored before the consumer stops; what is still queued after 5 s stays in the journal for the next start.
    started.push(() => drainQueue(sqs, queueUrls.signals, consumer));

    // SES receiving, S3 and Lambda's asynchronous invocation, played by an SMTP server and a notifier.
    const notifier = new S3Notifier(functions, sqs, {
      functionName: eventFunctions.mailBucket,
      region: REGION,
      retryDelaysMs: [...mailBucket.localRetryDelaysMs],
      failureQueueUrl: queueUrls.mailFailures,
      log: options.log,
    });
    const mailStore = new FileRawMailStore(mailDir, new FileDataKeyProvider(join(keyDir, 'envelope-key.json')));
    const smtp = await startSmtpGateway({
      port: requestedSmtpPort,
      recipients: options.mailRecipients,
      store: mailStore,
      bucket: mailBucket.localName,
      keyPrefix: mailBucket.keyPrefix,
      onStored: (object) => notifier.objectCreated(object),
      log: options.log,
    });
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    // Mail still being processed at a stop reaches the queue before it is drained.
    started.push(() => notifier.drain());
    started.push(() => new Promise<void>((done) => smtp.close(() => done())));

    // The meldformulier, built as it is deployed (web/dist), served beside the API as CloudFront does.
    const siteDir = buildWeb();
    const server: Server = await startHttpGateway(httpPort, functions, options.log, siteDir);
    // Stops first: new requests get 503 with Retry-After, those in flight finish; then the queue drains.
    started.push(() => drainHttpGateway(server));

    // Ready means the API's health check answers 200: the gateway, a handler and the emulators behind it.
    const apiUrl = `http://localhost:${(server.address() as AddressInfo).port}`;
    await waitUntilHealthy(apiUrl);

    return {
      apiUrl,
      sqsEndpoint: sqsServer.endpoint,
      dynamoDbEndpoint: dynamo.endpoint,
      smtpPort,
      mailRecipients: options.mailRecipients,
      mailDir,
      queues: queueUrls,
      credentials,
      credentialsPath,
      consumer,
      aggregator,
      stopDynamoDb: dynamo.stop,
      stop: async () => {
        await stopAll();
        dynamoClient.destroy();
        sqs.destroy();
        streams.destroy();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * An EventBridge schedule, played by a timer: the release function's (every 15 minutes on AWS; locally every
 * LOCAL_RELEASE_SCHEDULE_SECONDS, default 60) and the retention sweep's (nightly on AWS; locally every
 * LOCAL_RETENTION_SCHEDULE_SECONDS, default 3600). Never two runs at once. Returns what stops it, after the
 * run in progress.
 */
function playSchedule(
  functions: LocalFunctions,
  name: (typeof eventFunctions)['releaseSchedule' | 'retentionSchedule'],
  everyMs: number,
  region: string,
  log: (line: string) => void,
): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: new Date().toISOString(),
      region,
      resources: [],
      detail: {},
    };
    running = functions
      .invoke(name, event)
      .then(() => undefined)
      .catch((error: Error) => log(`${name} run failed: ${error.message}`))
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

async function waitUntilHealthy(apiUrl: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${apiUrl}/v1/health`);
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200) return;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`GET /v1/health did not answer 200 within ${timeoutMs / 1000} s; last: ${last}`);
}

async function drainQueue(sqs: SQSClient, queueUrl: string, consumer: SqsPoller): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    if (Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible) === 0 && consumer.idle) return;
    await sleep(100);
  }
}
