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
const statisticsTable = () => {
  const found = resources('AWS::DynamoDB::Table').filter(([id]) => /^DataStatisticsTable[0-9A-F]{8}$/.test(id));
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
const dynamoStatements = (fn: Resource) => statementsOf(fn).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('dynamodb:')));

describe('the public figures on AWS', () => {
  it('routes GET /v1/public/statistics without the authorizer', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /v1/public/statistics', AuthorizationType: 'NONE' });
  });

  it('lets the public route read the releases and nothing else of the statistics table', () => {
    const [, fn] = functionNamed('public-statistics');
    const table = statisticsTable();
    expect(fn.Properties.Environment.Variables).toMatchObject({ STATISTICS_TABLE: { Ref: table } });
    expect(dynamoStatements(fn)).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['release#*'] } },
      },
    ]);
    const kms = statementsOf(fn)
      .flatMap((s) => [s.Action].flat())
      .filter((a: string) => a.startsWith('kms:'));
    expect(kms.sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey']);
  });

  it('runs the release function every 15 minutes, retrying a tick twice within 10 minutes', () => {
    const [fnId] = functionNamed('release');
    // The release function's own schedule (the retention sweep has another).
    const rules = resources('AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes(fnId));
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0]!;
    expect(rule.Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [{ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 600 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
    });
  });

  it('lets the release function read the table and write only releases, with the interval of a day', () => {
    const [, fn] = functionNamed('release');
    const table = statisticsTable();
    expect(fn.Properties.Environment.Variables).toMatchObject({ STATISTICS_TABLE: { Ref: table }, PUBLIC_RELEASE_INTERVAL: '24h' });
    expect(fn.Properties.Timeout).toBe(120);
    expect(dynamoStatements(fn)).toEqual([
      { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], Resource: { 'Fn::GetAtt': [table, 'Arn'] } },
      {
        Effect: 'Allow',
        Action: ['dynamodb:PutItem', 'dynamodb:BatchWriteItem'],
        Resource: { 'Fn::GetAtt': [table, 'Arn'] },
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['release#*'] } },
      },
    ]);
  });
});
