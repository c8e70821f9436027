import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from '../synthesised-app.js';

let template: Template;
beforeAll(() => {
  ({ template } = synthesise('dev'));
});

type Resource = { Properties: Record<string, any> };
const resources = (type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const logicalIdOf = (type: string, prefix: string) => {
  const found = resources(type).filter(([id]) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  expect(found, prefix).toHaveLength(1);
  return found[0]![0];
};

describe('GET /v1/health on AWS', () => {
  it('is routed without the authorizer', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'GET /v1/health', AuthorizationType: 'NONE' });
  });

  it("may describe the signals table and read the signal queue's attributes, and do nothing else with data", () => {
    const [, fn] = resources('AWS::Lambda::Function').find(([, f]) => f.Properties.Description === 'Meldroute health (dev)')!;
    const table = logicalIdOf('AWS::DynamoDB::Table', 'DataSignalsTable');
    const queue = logicalIdOf('AWS::SQS::Queue', 'DataSignalQueue');
    expect(fn.Properties.Environment.Variables).toMatchObject({ SIGNALS_TABLE: { Ref: table }, SIGNAL_QUEUE_URL: { Ref: queue } });

    const role = fn.Properties.Role['Fn::GetAtt'][0];
    const statements = resources('AWS::IAM::Policy')
      .filter(([, policy]) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((s) => ![s.Action].flat().some((a: string) => a.startsWith('logs:') || a.startsWith('xray:')));
    expect(statements).toEqual([
      expect.objectContaining({ Action: 'dynamodb:DescribeTable', Resource: { 'Fn::GetAtt': [table, 'Arn'] } }),
      expect.objectContaining({ Action: 'sqs:GetQueueAttributes', Resource: { 'Fn::GetAtt': [queue, 'Arn'] } }),
    ]);
  });
});
