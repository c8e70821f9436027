/**
 * npm run keys -- <command> [options]: partner entries, against the local stack (default) or a deployed
 * stage (--stage dev|prod). API keys: only a key's SHA-256 is stored; a new key is printed once. Mail
 * senders: a domain is stored as it is, an address only as its SHA-256.
 *
 *   npm run keys -- create --organisation "Gemeente Assen" --source-type gemeente --scope signals:write --legal-basis meldcode
 *   npm run keys -- create --organisation "Zorg- en Veiligheidshuis Drenthe" --scope signals:triage --province DR
 *   npm run keys -- create --organisation "Ketenregisseur Drenthe" --source-type overig --scope signals:write --scope signals:source
 *   npm run keys -- revoke --key mr_dev_… | --hash <sha256>
 *   npm run keys -- list --stage prod
 *   npm run keys -- sender --domain assen.nl --organisation "Gemeente Assen" --source-type gemeente --province DR
 *   npm run keys -- remove-sender --domain assen.nl | --address a.b@assen.nl
 *   npm run keys -- senders
 *   npm run keys -- rotate-pseudonym-key [--data-dir .local]   (local; on AWS see docs/deploying.md)
 */

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as z from 'zod/mini';
import { DynamoDbApiKeyStore } from '#adapters/dynamodb/api-key-store.js';
import { DynamoDbMailSenderDirectory } from '#adapters/dynamodb/mail-sender-directory.js';
import { issuePartnerKey, registerMailSender, removeMailSender, revokePartnerKey } from '#domain/partners/index.js';
import { stackNameOf, stackOutput } from './aws/stack-outputs.js';
import { rotatePseudonymKeyFile } from './local/provision.js';
import { tables } from './resources.js';

const USAGE = `usage: npm run keys -- create --organisation <name> [--source-type <type>] --scope <scope> [--scope …] [--region <code>] [--legal-basis <basis>] [--province DR|GR|FR]
       npm run keys -- revoke (--key <key> | --hash <sha256>)
       npm run keys -- list
       npm run keys -- sender (--domain <domain> | --address <address>) --organisation <name> --source-type <type> [--province DR|GR|FR] [--region <code>] [--legal-basis <basis>]
       npm run keys -- remove-sender (--domain <domain> | --address <address>)
       npm run keys -- senders
       npm run keys -- rotate-pseudonym-key [--data-dir <dir>]   (the local key; restart npm start afterwards)
source type: required for signals:write (its signals count under it); overig for any other key
scopes: signals:write, signals:source (with signals:write: each signal may state its own source type, as a
        regional register does), statistics:read, audit:read, signals:triage, privacy:erase
legal basis: meldcode, wettelijke-taak, toestemming or gerechtvaardigd-belang (the organisation's ground for sharing)
target: the local stack (DYNAMODB_PORT, default 8000) unless --stage dev|prod [--aws-region eu-central-1]`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    organisation: { type: 'string' },
    'source-type': { type: 'string' },
    scope: { type: 'string', multiple: true },
    region: { type: 'string' },
    key: { type: 'string' },
    hash: { type: 'string' },
    stage: { type: 'string' },
    'aws-region': { type: 'string' },
    endpoint: { type: 'string' },
    domain: { type: 'string' },
    address: { type: 'string' },
    province: { type: 'string' },
    'legal-basis': { type: 'string' },
    'data-dir': { type: 'string' },
  },
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The partners table: on AWS named by the stage's stack output, locally the emulator's fixed name. */
async function openStore(): Promise<{ store: DynamoDbApiKeyStore; senders: DynamoDbMailSenderDirectory; prefix: string; where: string }> {
  if (!values.stage) {
    const endpoint = values.endpoint ?? `http://127.0.0.1:${process.env.DYNAMODB_PORT ?? 8000}`;
    const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    return {
      store: new DynamoDbApiKeyStore(client, tables.partners.name, 0),
      senders: new DynamoDbMailSenderDirectory(client, tables.partners.name, 0),
      prefix: 'local',
      where: `the local stack (${endpoint})`,
    };
  }
  const region = values['aws-region'] ?? process.env.AWS_REGION ?? 'eu-central-1';
  const stackName = stackNameOf(values.stage);
  const tableName = await stackOutput(new CloudFormationClient({ region }), stackName, 'PartnersTableName');
  if (!tableName) fail(`${stackName} in ${region} has no PartnersTableName output; is it deployed (npx cdk deploy -c stage=${values.stage})?`);
  const client = new DynamoDBClient({ region });
  return {
    store: new DynamoDbApiKeyStore(client, tableName, 0),
    senders: new DynamoDbMailSenderDirectory(client, tableName, 0),
    prefix: values.stage,
    where: `${stackName} (${region})`,
  };
}

const COMMANDS = ['create', 'revoke', 'list', 'sender', 'remove-sender', 'senders', 'rotate-pseudonym-key'];

async function main() {
  const [command] = positionals;
  if (!COMMANDS.includes(command ?? '')) fail(USAGE);
  if (command === 'rotate-pseudonym-key') {
    if (values.stage) fail('On AWS the key is a Secrets Manager secret: rotate it as docs/deploying.md describes.');
    const { from, to } = rotatePseudonymKeyFile(join(values['data-dir'] ?? '.local', 'keys'));
    console.log(`Pseudonymisation key ${from} rotated to ${to}; ${from} is kept for matching only. Restart npm start to use it.`);
    return;
  }
  const { store, senders, prefix, where } = await openStore();

  if (command === 'create') {
    const request = {
      organisation: values.organisation,
      sourceType: values['source-type'],
      scopes: values.scope,
      ...(values.region && { region: values.region }),
      ...(values['legal-basis'] && { legalBasis: values['legal-basis'] }),
      ...(values.province && { province: values.province }),
    };
    try {
      const { key, keyHash, principal } = await issuePartnerKey(store, request as never, prefix);
      const basis = principal.legalBasis ? `; grondslag ${principal.legalBasis}` : '';
      const area = principal.province ? `; area ${principal.province}` : '';
      console.log(
        `Key for ${principal.organisation} (${principal.sourceType}; ${principal.scopes.join(', ')}; ${principal.region}${area}${basis}) in ${where}:\n`,
      );
      console.log(`  ${key}\n`);
      console.log(
        `Hand it over now: it is not stored and cannot be shown again. To revoke: npm run keys -- revoke --hash ${keyHash}${values.stage ? ` --stage ${values.stage}` : ''}`,
      );
    } catch (error) {
      if (error instanceof z.core.$ZodError) fail(`${z.prettifyError(error)}\n\n${USAGE}`);
      throw error;
    }
  }

  if (command === 'revoke') {
    const keyOrHash = values.key ?? values.hash ?? fail(USAGE);
    try {
      const keyHash = await revokePartnerKey(store, keyOrHash);
      console.log(`Revoked ${keyHash} in ${where}. A warm authorizer may accept it for up to a minute more.`);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) fail(`No such key in ${where}.`);
      throw error;
    }
  }

  if (command === 'list') {
    for (const entry of await store.list()) {
      const state = entry.revokedAt ? `revoked ${entry.revokedAt}` : 'active';
      console.log(
        `${entry.keyHash.slice(0, 16)}…  ${entry.organisation}  ${entry.sourceType}  ${entry.scopes.join(',')}  ${entry.region}${entry.province ? `/${entry.province}` : ''}  ${entry.legalBasis ?? '-'}  created ${entry.createdAt ?? '?'}  ${state}`,
      );
    }
  }

  if (command === 'sender') {
    const request = {
      ...(values.domain && { domain: values.domain }),
      ...(values.address && { address: values.address }),
      organisation: values.organisation,
      sourceType: values['source-type'],
      ...(values.region && { region: values.region }),
      ...(values.province && { province: values.province }),
      ...(values['legal-basis'] && { legalBasis: values['legal-basis'] }),
    };
    try {
      const { sender } = await registerMailSender(senders, request as never);
      const who = values.domain ? `the domain ${values.domain}` : 'that address (stored only as its SHA-256)';
      console.log(
        `Mail from ${who} now counts under ${sender.organisation} (${sender.sourceType}; ${sender.region}${sender.province ? `; ${sender.province}` : ''}${sender.legalBasis ? `; grondslag ${sender.legalBasis}` : ''}) in ${where}.`,
      );
      console.log('A warm e-mail intake may take up to a minute to notice.');
    } catch (error) {
      if (error instanceof z.core.$ZodError) fail(`${z.prettifyError(error)}\n\n${USAGE}`);
      throw error;
    }
  }

  if (command === 'remove-sender') {
    const identity = values.domain ? { domain: values.domain } : values.address ? { address: values.address } : fail(USAGE);
    const { removed } = await removeMailSender(senders, identity);
    if (!removed) fail(`No such sender in ${where}.`);
    console.log(`Removed in ${where}.`);
  }

  if (command === 'senders') {
    for (const entry of await senders.list()) {
      const [kind, value] = entry.entryKey.split('#') as [string, string];
      const who = kind === 'domain' ? value : `address ${value.slice(0, 16)}…`;
      console.log(
        `${who}  ${entry.organisation}  ${entry.sourceType}  ${entry.region}  ${entry.province ?? '-'}  ${entry.legalBasis ?? '-'}  created ${entry.createdAt ?? '?'}`,
      );
    }
  }
}

main().catch((error: Error) => {
  if (error.name === 'ResourceNotFoundException' || /ECONNREFUSED/.test(String(error.cause ?? error.message))) {
    fail(values.stage ? `Could not reach the partners table: ${error.message}` : 'The local stack is not running: start it with npm start, then try again.');
  }
  fail(`${error.name}: ${error.message}`);
});
