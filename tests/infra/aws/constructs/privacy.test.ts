import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from '../synthesised-app.js';

let template: Template;
beforeAll(() => {
  ({ template } = synthesise('dev'));
});

type Resource = { Properties: Record<string, any> };
const resources = (type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const functionNamed = (name: string) => {
  const found = resources('AWS::Lambda::Function').find(([, f]) => f.Properties.Description === `Meldroute ${name} (dev)`);
  expect(found, name).toBeDefined();
  return found!;
};
const tableId = (name: string) => {
  const found = resources('AWS::DynamoDB::Table').filter(([id]) => new RegExp(`^Data${name}Table[0-9A-F]{8}$`).test(id));
  expect(found).toHaveLength(1);
  return found[0]![0];
};

/** The statements of a function's role, without those for its own logs. */
function statementsOf(fn: Resource): Array<Record<string, any>> {
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
    .filter((s) => ![s.Action].flat().some((a: string) => a.startsWith('logs:')));
}
/** The statements of a function on one table (its indexes aside). */
const statementsOn = (fn: Resource, table: string) =>
  statementsOf(fn).filter((s) => JSON.stringify(s.Resource) === JSON.stringify({ 'Fn::GetAtt': [table, 'Arn'] }));
/** The DynamoDB actions a function may take on one table (its indexes aside). */
const actionsOn = (fn: Resource, table: string) =>
  statementsOn(fn, table)
    .flatMap((s) => [s.Action].flat())
    .filter((a: string) => a.startsWith('dynamodb:'))
    .sort();
/** The actions a function may take on one table only within the items whose partition key starts with `prefix`. */
const actionsWithin = (fn: Resource, table: string, prefix: string) =>
  statementsOn(fn, table)
    .filter((s) => JSON.stringify(s.Condition) === JSON.stringify({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } }))
    .flatMap((s) => [s.Action].flat())
    .sort();

describe('erasure and retention on AWS', () => {
  it('routes POST /v1/privacy/erasures behind the authorizer', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'POST /v1/privacy/erasures', AuthorizationType: 'CUSTOM' });
  });

  it('lets the erasure read and update signals, read and remove link entries, put only pending erasures and append to the audit log, and nothing more', () => {
    const [, fn] = functionNamed('privacy-erasure');
    expect(actionsOn(fn, tableId('Signals'))).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(actionsOn(fn, tableId('Links'))).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query']);
    // The one Put: a pending erasure, in its own partition, never a link entry.
    expect(actionsWithin(fn, tableId('Links'), 'pending-erasure')).toEqual(['dynamodb:PutItem']);
    // The audit log's append grant: Get of the head, Put and Update each only inside a transaction.
    expect(actionsOn(fn, tableId('Audit'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    const variables = fn.Properties.Environment.Variables;
    expect(variables).toMatchObject({
      PSEUDONYM_SECRET_ARN: expect.anything(),
      SIGNALS_TABLE: expect.anything(),
      LINKS_TABLE: expect.anything(),
      AUDIT_TABLE: expect.anything(),
    });
    // It looks a person up by pseudonym, and can open no description: no envelope key.
    expect(variables.ENVELOPE_KEY_ARN).toBeUndefined();
    const secretActions = statementsOf(fn)
      .flatMap((s) => [s.Action].flat())
      .filter((a: string) => a.startsWith('secretsmanager:'));
    expect(secretActions.sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(fn.Properties.Timeout).toBe(29);
  });

  it('runs the retention sweep every night at 02:30 UTC with the stage’s retention, scanning and updating signals, reading and removing link entries and pending erasures, and appending to the audit log', () => {
    const [fnId, fn] = functionNamed('retention-sweep');
    const rules = resources('AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes(fnId));
    expect(rules).toHaveLength(1);
    expect(rules[0]![1].Properties).toMatchObject({
      ScheduleExpression: 'cron(30 2 * * ? *)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21_600 } }],
    });
    expect(fn.Properties.Environment.Variables).toMatchObject({ SIGNAL_RETENTION_DAYS: '1827' });
    expect(fn.Properties.Timeout).toBe(300);
    expect(actionsOn(fn, tableId('Signals'))).toEqual(['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:UpdateItem']);
    expect(actionsOn(fn, tableId('Links'))).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:Query']);
    // The erasure's append grant, for the entries of the signals it strips late: Put and Update only in a transaction.
    expect(actionsOn(fn, tableId('Audit'))).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    expect(statementsOn(fn, tableId('Audit')).every((s) => s.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'])).toBe(true);
    expect(fn.Properties.Environment.Variables).toMatchObject({ AUDIT_TABLE: expect.anything(), LINKS_TABLE: expect.anything() });
    expect(
      statementsOf(fn)
        .flatMap((s) => [s.Action].flat())
        .filter((a: string) => a.startsWith('secretsmanager:')),
    ).toEqual([]);
  });
});
