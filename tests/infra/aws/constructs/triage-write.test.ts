import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { MeldrouteData } from '../../../../infra/aws/constructs/data.js';
import { MeldrouteHttpApi } from '../../../../infra/aws/constructs/http-api.js';
import { TriageWrite } from '../../../../infra/aws/constructs/triage-write.js';
import { stageConfig } from '../../../../infra/aws/stage-config.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let template: Template;
const ids = { signals: '', audit: '', envelopeKey: '', storageKey: '' };
beforeAll(() => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meldroute-triage-write-')) });
  const stack = new Stack(app, 'TriageWriteStack');
  const config = stageConfig('dev');
  const data = new MeldrouteData(stack, 'Data', { config });
  const api = new MeldrouteHttpApi(stack, 'Api', { config, partnersTable: data.tables.partners });
  new TriageWrite(stack, 'TriageWrite', {
    config,
    api,
    signalsTable: data.tables.signals,
    auditTable: data.tables.audit,
    storageKey: data.storageKey,
    envelopeKey: data.envelopeKey,
  });
  template = Template.fromStack(stack);
  ids.signals = stack.getLogicalId(data.tables.signals.node.defaultChild as never);
  ids.audit = stack.getLogicalId(data.tables.audit.node.defaultChild as never);
  ids.envelopeKey = stack.getLogicalId(data.envelopeKey.node.defaultChild as never);
  ids.storageKey = stack.getLogicalId(data.storageKey.node.defaultChild as never);
}, 240_000);

/** The statements of the role of the function with this handler name. */
function statementsOf(name: string): Statement[] {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: Record<string, any> }>;
  const fn = functions.find((f) => f.Properties.Description === `Meldroute ${name} (dev)`)!;
  const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{ Properties: Record<string, any> }>;
  return policies.filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`)).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const on = (statements: Statement[], logicalId: string) => statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`));
const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat()).sort();

describe('TriageWrite on AWS', () => {
  it('routes PATCH /v1/triage/signals/{signalId} and POST …/decisions behind the authorizer', () => {
    for (const key of ['PATCH /v1/triage/signals/{signalId}', 'POST /v1/triage/signals/{signalId}/decisions']) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'CUSTOM' });
    }
  });

  it.each(['triage-enrichment', 'triage-decision'])('lets %s read and update a signal, and no more, on the signals table', (name) => {
    expect(actions(on(statementsOf(name), ids.signals))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(statementsOf(name))).not.toContain('/index/');
  });

  it.each(['triage-enrichment', 'triage-decision'])('lets %s only append to the audit log: Put and Update inside a transaction', (name) => {
    const audit = on(statementsOf(name), ids.audit);
    expect(actions(audit)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    for (const s of audit.filter((s) => s.Action !== 'dynamodb:GetItem')) {
      expect(s.Condition).toMatchObject({ 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] } });
    }
  });

  it('lets only the decision function make data keys for notes, and neither unwrap one', () => {
    expect(actions(on(statementsOf('triage-decision'), ids.envelopeKey))).toEqual(['kms:GenerateDataKey']);
    expect(on(statementsOf('triage-enrichment'), ids.envelopeKey)).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Meldroute triage-decision (dev)',
      Environment: { Variables: { ENVELOPE_KEY_ARN: { 'Fn::GetAtt': [ids.envelopeKey, 'Arn'] } } },
    });
  });
});
