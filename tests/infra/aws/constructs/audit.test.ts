import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { grantAuditAppend } from '../../../../infra/aws/constructs/audit-log-policy.js';
import { MeldrouteData } from '../../../../infra/aws/constructs/data.js';
import { MeldrouteFunction } from '../../../../infra/aws/constructs/meldroute-function.js';
import { stageConfig } from '../../../../infra/aws/stage-config.js';
import { synthesise } from '../synthesised-app.js';

type Resource = { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

let template: Template;
beforeAll(() => {
  ({ template } = synthesise('dev'));
});

const resources = (t: Template, type: string) => Object.entries(t.findResources(type)) as Array<[string, Resource]>;
const auditTableId = (t: Template) => {
  const found = resources(t, 'AWS::DynamoDB::Table').filter(([id]) => /^DataAuditTable[0-9A-F]{8}$/.test(id));
  expect(found).toHaveLength(1);
  return found[0]![0];
};
const actionsOf = (s: Statement) => [s.Action].flat();
/** Every statement of every identity policy in the template, with the role it is attached to. */
const statements = (t: Template) =>
  resources(t, 'AWS::IAM::Policy').flatMap(([, policy]) =>
    (policy.Properties.PolicyDocument.Statement as Statement[]).map((s) => ({ ...s, roles: policy.Properties.Roles as Array<{ Ref: string }> })),
  );
const touches = (s: Statement, logicalId: string) => JSON.stringify(s.Resource).includes(`"${logicalId}"`);
const roleOf = (t: Template, description: string) => {
  const [, fn] = resources(t, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === description)!;
  return fn.Properties.Role['Fn::GetAtt'][0] as string;
};

describe('the audit table on AWS', () => {
  it('is retained, protected from deletion, recoverable to any point in time and encrypted with the storage key', () => {
    const id = auditTableId(template);
    const [, storageKey] = resources(template, 'AWS::KMS::Key').find(([keyId]) => keyId.startsWith('DataStorageKey'))!;
    expect(storageKey).toBeDefined();
    const table = template.toJSON().Resources[id] as Resource;
    expect(table).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^DataStorageKey/), 'Arn'] } },
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      },
    });
    expect(table.Properties.StreamSpecification).toBeUndefined();
    expect(table.Properties.TimeToLiveSpecification).toBeUndefined();
    expect(
      (table.Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; KeySchema: unknown; Projection: unknown }>).map((i) => [
        i.IndexName,
        i.KeySchema,
        i.Projection,
      ]),
    ).toEqual([
      [
        'bySignal',
        [
          { AttributeName: 'signalId', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'ALL' },
      ],
      [
        'byTime',
        [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'at', KeyType: 'RANGE' },
        ],
        { ProjectionType: 'KEYS_ONLY' },
      ],
    ]);
  });

  it('denies every principal, by its own policy, any delete, any update but of the head, and any put but of an entry', () => {
    const policy = (template.toJSON().Resources[auditTableId(template)] as Resource).Properties.ResourcePolicy.PolicyDocument;
    const denials = (policy.Statement as Statement[]).map((s) => ({ effect: s.Effect, actions: actionsOf(s).sort(), condition: s.Condition }));
    expect(denials).toEqual([
      {
        effect: 'Deny',
        actions: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:PartiQLDelete', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate'],
        condition: undefined,
      },
      { effect: 'Deny', actions: ['dynamodb:UpdateItem'], condition: { 'ForAnyValue:StringNotEquals': { 'dynamodb:LeadingKeys': ['head'] } } },
      { effect: 'Deny', actions: ['dynamodb:PutItem'], condition: { 'ForAnyValue:StringNotEquals': { 'dynamodb:LeadingKeys': ['entry'] } } },
    ]);
    for (const s of policy.Statement as Array<Statement & { Principal: unknown }>) expect(s.Principal).toEqual({ AWS: '*' });
  });

  it('gives no function DeleteItem or BatchWriteItem on it, PutItem and UpdateItem only inside a transaction (an append), nor any wildcard action', () => {
    const id = auditTableId(template);
    const onAudit = statements(template).filter((s) => s.Effect === 'Allow' && touches(s, id));
    expect(onAudit.length).toBeGreaterThan(0);
    for (const s of onAudit) {
      for (const action of actionsOf(s)) {
        expect(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], JSON.stringify(s)).toContain(action);
        // The appends of the triage and the erasure (grantAuditAppend): never outside TransactWriteItems.
        if (action === 'dynamodb:PutItem' || action === 'dynamodb:UpdateItem') {
          expect(s.Condition, JSON.stringify(s)).toMatchObject({ 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] } });
        }
      }
    }
    // Nor through a statement on every resource.
    const everywhere = statements(template).filter((s) => s.Effect === 'Allow' && JSON.stringify(s.Resource) === '"*"');
    for (const s of everywhere) for (const action of actionsOf(s)) expect(action).not.toMatch(/^dynamodb:(\*|.*Write|.*Delete|Put|Update|PartiQL)/);
  });

  it('routes GET /v1/audit behind the authorizer to audit-read, which may read the table, its indexes and the key, and nothing else', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /v1/audit', AuthorizationType: 'CUSTOM' });
    const id = auditTableId(template);
    const role = roleOf(template, 'Meldroute audit-read (dev)');
    const [, fn] = resources(template, 'AWS::Lambda::Function').find(([, f]) => f.Properties.Description === 'Meldroute audit-read (dev)')!;
    expect(fn.Properties.Environment.Variables).toMatchObject({ AUDIT_TABLE: { Ref: id } });
    const own = statements(template)
      .filter((s) => s.roles.some((r) => r.Ref === role))
      .filter((s) => !actionsOf(s).some((a) => a.startsWith('logs:')));
    expect(own.map((s) => ({ actions: actionsOf(s), resource: s.Resource, condition: s.Condition }))).toEqual([
      { actions: ['dynamodb:GetItem', 'dynamodb:Query'], resource: { 'Fn::GetAtt': [id, 'Arn'] }, condition: undefined },
      {
        actions: ['dynamodb:Query'],
        resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/index/bySignal']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/index/byTime']] },
        ],
        condition: undefined,
      },
      { actions: ['kms:Decrypt', 'kms:DescribeKey'], resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataStorageKey/), 'Arn'] }, condition: undefined },
    ]);
  });

  it('names the table in a stack output, for npm run audit -- verify --stage', () => {
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    const [, output] = Object.entries(outputs).find(([key]) => /^DataAuditTableName[0-9A-F]{8}$/.test(key))!;
    expect(output.Value).toEqual({ Ref: auditTableId(template) });
  });
});

describe('grantAuditAppend, for the function that will append', () => {
  it('allows reading the head, a Put of an entry and an Update of the head, the two only inside TransactWriteItems', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meldroute-audit-')) });
    const stack = new Stack(app, 'AppendGrant');
    const config = stageConfig('dev');
    const data = new MeldrouteData(stack, 'Data', { config });
    const fn = new MeldrouteFunction(stack, 'Appender', { name: 'audit-read', config });
    grantAuditAppend(fn, data.tables.audit, data.storageKey);
    const appender = Template.fromStack(stack);
    const id = auditTableId(appender);
    const table = { 'Fn::GetAtt': [id, 'Arn'] };
    const inTransaction = { 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] } };
    const granted = statements(appender)
      .filter((s) => !actionsOf(s).some((a) => a.startsWith('logs:')))
      .map((s) => ({ actions: actionsOf(s), resource: s.Resource, condition: s.Condition }));
    expect(granted).toEqual([
      { actions: ['dynamodb:GetItem'], resource: table, condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['head'] } } },
      { actions: ['dynamodb:PutItem'], resource: table, condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['entry'] }, ...inTransaction } },
      { actions: ['dynamodb:UpdateItem'], resource: table, condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['head'] }, ...inTransaction } },
      {
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
        resource: { 'Fn::GetAtt': [expect.stringMatching(/^DataStorageKey/), 'Arn'] },
        condition: undefined,
      },
    ]);
  });
});
