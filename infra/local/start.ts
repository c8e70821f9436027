import { parseArgs } from 'node:util';
import { DynamoDbInUseError, JavaMissingError } from './dynamodb-local.js';
import { PortInUseError } from './network.js';
import { type LocalStack, type LocalStackReady, startLocalStack } from './stack.js';

/**
 * `npm start`: the whole pipeline on this machine. Started by the integration tests as a child
 * process, it also takes a few commands over IPC (pause the consumer, replay the stream).
 */
const { values } = parseArgs({
  options: {
    'in-memory': { type: 'boolean', default: false },
    'data-dir': { type: 'string', default: process.env.MELDROUTE_DATA_DIR ?? '.local' },
  },
});

const port = (name: string, fallback: number) => (process.env[name] !== undefined ? Number(process.env[name]) : fallback);
const log = (line: string) => process.stderr.write(`[local] ${line}\n`);

let stack: LocalStack;
try {
  stack = await startLocalStack({
    httpPort: port('PORT', 3000),
    sqsPort: port('SQS_PORT', 9324),
    dynamoDbPort: port('DYNAMODB_PORT', 8000),
    smtpPort: port('SMTP_PORT', 2525),
    mailRecipients: (process.env.MELDPUNT_ADDRESS ?? 'meldpunt@meldroute.local')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
    dataDir: values['data-dir']!,
    inMemory: values['in-memory']!,
    log,
  });
} catch (error) {
  if (error instanceof JavaMissingError || error instanceof PortInUseError || error instanceof DynamoDbInUseError) {
    process.stderr.write(`\nMeldroute cannot start: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

// From here on the runner serves. What no listener caught is one line in the log, and the runner keeps
// serving the other requests. Only the name, code and place are logged: a message may quote what a
// client sent. (Installed only now: a failed start must still end the process.)
function failureOf(error: unknown): string {
  const { name, code, stack } = (error ?? {}) as { name?: string; code?: string; stack?: string };
  const where = stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim();
  return `${[name ?? String(typeof error), code].filter(Boolean).join(' ')}${where ? ` ${where}` : ''}`;
}
process.on('unhandledRejection', (error) => log(`unhandled rejection, runner keeps serving: ${failureOf(error)}`));
process.on('uncaughtException', (error) => log(`uncaught exception, runner keeps serving: ${failureOf(error)}`));

const partnerKey = stack.credentials.keys.find((k) => k.scopes.includes('signals:write'));
const statisticsKey = stack.credentials.keys.find((k) => k.scopes.includes('statistics:read'));
const triageKey = stack.credentials.keys.find((k) => k.scopes.includes('signals:triage'));
const officerKey = stack.credentials.keys.find((k) => k.scopes.includes('privacy:erase'));
process.stdout.write(`
Meldroute runs locally${values['in-memory'] ? ' (in memory: nothing is kept)' : ''}.

  Meldformulier   ${stack.apiUrl}/
  API             ${stack.apiUrl}
    POST ${stack.apiUrl}/v1/signals
    GET  ${stack.apiUrl}/v1/statistics?region=noord-nederland&year=${new Date().getFullYear()}
  Meldpunt mail   smtp://localhost:${stack.smtpPort}   to ${stack.mailRecipients.join(', ')}
  SQS emulator    ${stack.sqsEndpoint}
  DynamoDB Local  ${stack.dynamoDbEndpoint}

  Partner key     ${partnerKey?.key}   (${partnerKey?.organisation}, signals:write)
  Statistics key  ${statisticsKey?.key}   (statistics:read)
  Triage key      ${triageKey?.key}   (${triageKey?.organisation}, signals:triage, ${triageKey?.province ?? 'whole region'})
  Privacy key     ${officerKey?.key}   (${officerKey?.organisation}, ${officerKey?.scopes.join(' + ')})
  All keys in     ${stack.credentialsPath}
  More keys       npm run keys -- create --organisation "…" --source-type gemeente --scope signals:write
  Area key        npm run keys -- create --organisation "…" --scope signals:triage --province DR
  Mail senders    npm run keys -- sender --domain assen.nl --organisation "Gemeente Assen" --source-type gemeente

Ctrl-C stops everything.
`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  log('stopping');
  // A failing stop must still end the process, now that a rejection no longer does.
  await stack.stop().catch((error: unknown) => log(`stop failed: ${failureOf(error)}`));
  process.exit(0);
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);

type Command = { id: number; command: 'pause-consumer' | 'resume-consumer' | 'replay-stream' | 'stop-dynamodb' | 'stop' };
if (process.send) {
  process.on('message', async ({ id, command }: Command) => {
    if (command === 'pause-consumer') await stack.consumer.pause();
    if (command === 'resume-consumer') stack.consumer.resume();
    if (command === 'replay-stream') stack.aggregator.replay();
    if (command === 'stop-dynamodb') await stack.stopDynamoDb();
    process.send!({ type: 'ack', id });
    if (command === 'stop') await shutdown();
  });
  process.on('disconnect', shutdown);
  const ready: LocalStackReady & { type: 'ready' } = {
    type: 'ready',
    apiUrl: stack.apiUrl,
    sqsEndpoint: stack.sqsEndpoint,
    dynamoDbEndpoint: stack.dynamoDbEndpoint,
    smtpPort: stack.smtpPort,
    mailRecipients: stack.mailRecipients,
    mailDir: stack.mailDir,
    queues: stack.queues,
    credentials: stack.credentials,
  };
  process.send(ready);
}
