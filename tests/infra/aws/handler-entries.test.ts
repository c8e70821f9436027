import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, locallyInvokedFunctions } from '../../../functions/routes.js';
import { type MeldrouteFunction, projectRoot } from '../../../infra/aws/constructs/meldroute-function.js';
import { LocalFunctions } from '../../../infra/local/functions.js';
import { synthesise } from './synthesised-app.js';

let deployed: MeldrouteFunction[];
beforeAll(() => {
  const { stack } = synthesise('dev');
  deployed = stack.node.findAll().filter((c): c is MeldrouteFunction => c instanceof NodejsFunction) as MeldrouteFunction[];
});

describe('the Lambda entries and the local runner use the same handlers', () => {
  it('deploys exactly the functions the local runner invokes: its routes, the authorizer, $default and both event sources', () => {
    expect(deployed.map((fn) => fn.handlerName).sort()).toEqual(locallyInvokedFunctions().sort());
  });

  it('builds each Lambda from the very file the local runner loads for that function', () => {
    const local = new LocalFunctions(resolve(projectRoot), 'eu-central-1');
    for (const fn of deployed) expect(resolve(fn.entry), fn.handlerName).toBe(resolve(local.entryOf(fn.handlerName)));
  });

  it('finds in every entry an exported handler function', async () => {
    // Module scope reads these, as on Lambda; nothing is called.
    Object.assign(process.env, {
      AWS_REGION: 'eu-central-1',
      SIGNALS_TABLE: 't',
      STATISTICS_TABLE: 't',
      INTAKE_CLAIMS_TABLE: 't',
      PARTNERS_TABLE: 't',
      AUDIT_TABLE: 't',
      LINKS_TABLE: 't',
      SIGNAL_QUEUE_URL: 'http://localhost/q',
      PSEUDONYM_SECRET_ARN: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:s',
      ENVELOPE_KEY_ARN: 'arn:aws:kms:eu-central-1:111122223333:key/k',
    });
    for (const fn of deployed) {
      const module = (await import(pathToFileURL(fn.entry).href)) as { handler?: unknown };
      expect(typeof module.handler, fn.handlerName as FunctionName).toBe('function');
    }
  });
});
