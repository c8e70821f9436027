import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKLIST_INDEX_FIELDS } from '#domain/casework/index.js';
import { MeldrouteData } from '../../../../infra/aws/constructs/data.js';
import { MeldrouteHttpApi } from '../../../../infra/aws/constructs/http-api.js';
import { TriageRead } from '../../../../infra/aws/constructs/triage-read.js';
import { stageConfig } from '../../../../infra/aws/stage-config.js';

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let template: Template;
const ids = { signals: '', links: '', audit: '', envelopeKey: '', storageKey: '' };
beforeAll(() => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meldroute-triage-read-')) });
  const stack = new Stack(app, 'TriageReadStack');
  const config = stageConfig('dev');
  const data = new MeldrouteData(stack, 'Data', { config });
  const api = new MeldrouteHttpApi(stack, 'Api', { config, partnersTable: data.tables.partners });
  new TriageRead(stack, 'TriageRead', {
    config,
    api,
    signalsTable: data.tables.signals,
    linksTable: data.tables.links,
    auditTable: data.tables.audit,
    storageKey: data.storageKey,
    envelopeKey: data.envelopeKey,
  });
  template = Template.fromStack(stack);
  const id = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
  Object.assign(ids, {
    signals: id(data.tables.signals),
    links: id(data.tables.links),
    audit: id(data.tables.audit),
    envelopeKey: id(data.envelopeKey),
    storageKey: id(data.storageKey),
  });
}, 240_000);

function statementsOf(name: string): Statement[] {
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as Array<{ Properties: Record<string, any> }>;
  const fn = functions.find((f) => f.Properties.Description === `Meldroute ${name} (dev)`)!;
  const role = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const policies = Object.values(template.findResources('AWS::IAM::Policy')) as Array<{ Properties: Record<string, any> }>;
  return policies.filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${role}"`)).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const on = (statements: Statement[], logicalId: string) => statements.filter((s) => JSON.stringify(s.Resource).includes(`"${logicalId}"`));
const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat()).sort();

describe('TriageRead on AWS', () => {
  it('routes the four reads behind the authorizer', () => {
    for (const key of [
      'GET /v1/triage/signals',
      'GET /v1/triage/signals/{signalId}',
      'GET /v1/triage/signals/{signalId}/description',
      'GET /v1/triage/signals/{signalId}/decisions/{decisionId}/note',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: 'CUSTOM' });
    }
  });

  it("gives the signals table the byRegion index, projecting the worklist's fields and nothing personal", () => {
    const table = template.findResources('AWS::DynamoDB::Table')[ids.signals] as { Properties: Record<string, any> };
    const [index] = table.Properties.GlobalSecondaryIndexes;
    expect(index).toMatchObject({
      IndexName: 'byRegion',
      KeySchema: [
        { AttributeName: 'region', KeyType: 'HASH' },
        { AttributeName: 'receivedAt', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...WORKLIST_INDEX_FIELDS] },
    });
    for (const personal of ['subject', 'reporter', 'externalRef', 'description', 'decisions'])
      expect(index.Projection.NonKeyAttributes).not.toContain(personal);
  });

  it('lets the worklist query the index, read only signalId and subject by key, and read the link index; nothing else, nothing written', () => {
    const statements = statementsOf('triage-worklist');
    const signals = on(statements, ids.signals);
    expect(actions(signals)).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    expect(JSON.stringify(signals.find((s) => s.Action === 'dynamodb:Query')!.Resource)).toContain('/index/byRegion');
    expect(signals.find((s) => s.Action === 'dynamodb:BatchGetItem')!.Condition).toEqual({
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['signalId', 'subject'] },
      StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
    });
    expect(actions(on(statements, ids.links))).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(on(statements, ids.audit)).toEqual([]);
    expect(on(statements, ids.envelopeKey)).toEqual([]);
  });

  it("lets the detail read one signal, append to the audit log and query the log's signal index", () => {
    const statements = statementsOf('triage-signal');
    expect(actions(on(statements, ids.signals))).toEqual(['dynamodb:GetItem']);
    const audit = on(statements, ids.audit);
    expect(actions(audit)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(JSON.stringify(audit.find((s) => s.Action === 'dynamodb:Query')!.Resource)).toContain('/index/bySignal');
    expect(on(statements, ids.envelopeKey)).toEqual([]);
  });

  it.each(['triage-description', 'triage-note'])(
    'lets %s read one signal, append its look to the audit log and unwrap a data key: kms:Decrypt on the envelope key, for that context only',
    (name) => {
      const statements = statementsOf(name);
      expect(actions(on(statements, ids.signals))).toEqual(['dynamodb:GetItem']);
      // Append only: no Query of the log, so it reads no other entry.
      expect(actions(on(statements, ids.audit))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(on(statements, ids.links)).toEqual([]);
      const envelope = on(statements, ids.envelopeKey);
      expect(envelope).toEqual([
        expect.objectContaining({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'meldroute:signal-description' } },
        }),
      ]);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `Meldroute ${name} (dev)`,
        Environment: { Variables: { ENVELOPE_KEY_ARN: { 'Fn::GetAtt': [ids.envelopeKey, 'Arn'] } } },
      });
    },
  );
});
