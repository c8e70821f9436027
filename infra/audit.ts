/**
 * npm run audit -- verify [--stage dev|prod]: reads the whole audit log in order of sequence, recomputes
 * every entry's hash and link, compares the end with the head, and prints "N entries, chain intact", or
 * names the first broken entry and exits 1.
 *
 * Against the local stack (DYNAMODB_PORT, default 8000) unless --stage names a deployed one, whose audit
 * table the stack output AuditTableName names. It prints sequences and counts only, never an entry.
 *
 *   npm run audit -- verify
 *   npm run audit -- verify --stage prod
 */

import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditLog } from '#adapters/dynamodb/audit-log.js';
import { type ChainBreak, ChainVerifier } from '#domain/casework/index.js';
import { stackNameOf, stackOutput } from './aws/stack-outputs.js';
import { tables } from './resources.js';

const USAGE = `usage: npm run audit -- verify [--stage dev|prod [--aws-region eu-central-1]] [--endpoint <url>]
target: the local stack (DYNAMODB_PORT, default 8000) unless --stage`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { stage: { type: 'string' }, 'aws-region': { type: 'string' }, endpoint: { type: 'string' }, help: { type: 'boolean', default: false } },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const WHAT_BROKE: Record<ChainBreak['reason'], string> = {
  hash: 'its fields no longer give its hash: a field was changed',
  link: 'it does not follow the entry before it: an entry was changed and re-hashed, replaced or moved',
  gap: 'it is missing: removed, or the log ends before its head says it does',
};

async function openLog(): Promise<{ log: DynamoDbAuditLog; where: string }> {
  if (!values.stage) {
    const endpoint = values.endpoint ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return { log: new DynamoDbAuditLog(client, tables.audit.name), where: `the local stack (${endpoint})` };
  }
  const region = values['aws-region'] ?? process.env.AWS_REGION ?? 'eu-central-1';
  const stackName = stackNameOf(values.stage);
  const tableName = await stackOutput(new CloudFormationClient({ region }), stackName, 'AuditTableName');
  if (!tableName) fail(`${stackName} in ${region} has no AuditTableName output; is it deployed (npx cdk deploy -c stage=${values.stage})?`);
  return { log: new DynamoDbAuditLog(new DynamoDBClient({ region }), tableName), where: `${stackName} (${region})` };
}

async function verify(): Promise<void> {
  const { log, where } = await openLog();
  // The head first: entries appended while the chain is read come after it, and are left for the next run.
  const head = await log.head();
  const verifier = new ChainVerifier();
  for await (const entry of log.entries()) {
    if (entry.sequence > head.sequence) break;
    verifier.add(entry);
  }
  const verdict = verifier.verdict(head);
  if (verdict.intact) {
    console.log(`${verdict.count} entries, chain intact (${where})`);
    return;
  }
  const { sequence, reason } = verdict.broken;
  fail(`Chain broken at entry ${sequence} (${reason}): ${WHAT_BROKE[reason]}. ${verdict.count} entries read in ${where}.`);
}

async function main() {
  if (values.help || positionals[0] !== 'verify' || positionals.length !== 1) fail(USAGE);
  await verify();
}

main().catch((error: Error) => {
  if (error.name === 'ResourceNotFoundException' || /ECONNREFUSED/.test(String(error.cause ?? error.message))) {
    fail(values.stage ? `The audit table cannot be reached: ${error.message}` : 'The local stack is not running: start it with npm start and try again.');
  }
  fail(`${error.name}: ${error.message}`);
});
