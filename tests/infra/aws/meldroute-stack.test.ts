import { Match, type Template } from 'aws-cdk-lib/assertions';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { beforeAll, describe, expect, it } from 'vitest';
import { httpRoutes, routeKeyOf } from '../../../functions/routes.js';
import { MeldrouteFunction } from '../../../infra/aws/constructs/meldroute-function.js';
import type { MeldrouteStack } from '../../../infra/aws/meldroute-stack.js';
import { synthesise } from './synthesised-app.js';

let service: Template;
let serviceStack: MeldrouteStack;
beforeAll(() => {
  ({ template: service, stack: serviceStack } = synthesise('dev'));
});

type Resource = { Type: string; Properties: Record<string, any> };
const resources = (type: string) => Object.entries(service.findResources(type)) as Array<[string, Resource]>;
const functionNamed = (name: string): [string, Resource] => {
  const found = resources('AWS::Lambda::Function').filter(([, fn]) => fn.Properties.Description === `Meldroute ${name} (dev)`);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};
/** Every statement of the policies attached to a function's role. */
const statementsOf = (name: string): Array<Record<string, any>> => {
  const [, fn] = functionNamed(name);
  const role = fn.Properties.Role['Fn::GetAtt'][0];
  return resources('AWS::IAM::Policy')
    .filter(([, policy]) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
    .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);
};
const actionsOf = (name: string) => statementsOf(name).flatMap((s) => [s.Action].flat());
const importOf = (value: unknown) => JSON.stringify(value);

describe('functions', () => {
  it('has no Lambda but the MeldrouteFunctions (no custom resource the local runner would not know)', () => {
    const deployed = serviceStack.node.findAll().filter((c): c is NodejsFunction => c instanceof NodejsFunction);
    expect(deployed.every((fn) => fn instanceof MeldrouteFunction)).toBe(true);
    expect(resources('AWS::Lambda::Function')).toHaveLength(deployed.length);
  });

  it('runs every function on Node 22, arm64, without X-Ray tracing (see meldroute-function.ts), with Powertools settings and its own log group with retention', () => {
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Environment: { Variables: { POWERTOOLS_SERVICE_NAME: expect.stringMatching(/^meldroute-/), POWERTOOLS_LOG_LEVEL: 'DEBUG' } },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties.TracingConfig).toBeUndefined();
      const logGroup = service.toJSON().Resources[fn.Properties.LoggingConfig.LogGroup.Ref];
      expect(logGroup.Properties.RetentionInDays).toBe(30);
    }
  });

  it('gives every function a role that writes only to its own log group, not AWSLambdaBasicExecutionRole', () => {
    for (const [, role] of resources('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      const name = fn.Properties.Description.replace(/^Meldroute (.*) \(dev\)$/, '$1');
      const logs = statementsOf(name).filter((s) => [s.Action].flat().some((a: string) => a.startsWith('logs:')));
      expect(logs).toEqual([
        expect.objectContaining({
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [fn.Properties.LoggingConfig.LogGroup.Ref, 'Arn'] },
        }),
      ]);
    }
  });
});

describe('least privilege', () => {
  it.each(['signals-intake', 'signals-batch'])(
    'lets %s read the pseudonymisation secret and make data keys with the envelope key, but never decrypt with it',
    (name) => {
      const [, intake] = functionNamed(name);
      const env = intake.Properties.Environment.Variables;
      expect(env).toMatchObject({
        PSEUDONYM_SECRET_ARN: expect.anything(),
        ENVELOPE_KEY_ARN: expect.anything(),
        SIGNAL_QUEUE_URL: expect.anything(),
        INTAKE_CLAIMS_TABLE: expect.anything(),
      });
      const statements = statementsOf(name);
      const onEnvelopeKey = statements.filter((s) => importOf(s.Resource).includes(importOf(env.ENVELOPE_KEY_ARN)));
      expect(onEnvelopeKey).toEqual([expect.objectContaining({ Action: 'kms:GenerateDataKey', Effect: 'Allow' })]);
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: env.PSEUDONYM_SECRET_ARN }),
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } } }),
      );
    },
  );

  it('gives no function but the intakes (API single and batch, e-mail, web) the secret (the erasure too, to look a person up) or the envelope key (the triage decision, description and note reads too, for notes and text), and no function but the authorizer, the e-mail intake and the Cijfers page (which checks a statistics key itself) the partners table', () => {
    const envelopeKey = importOf(serviceStack.resolve(serviceStack.data.envelopeKey.keyArn));
    for (const [, fn] of resources('AWS::Lambda::Function')) {
      const name = fn.Properties.Description.replace(/^Meldroute (.*) \(dev\)$/, '$1');
      const policy = importOf(statementsOf(name));
      if (!['signals-intake', 'signals-batch', 'email-intake', 'web-intake'].includes(name)) {
        // The erasure reads the secret to look a person up by pseudonym; it gets no envelope key.
        if (name !== 'privacy-erasure') expect(policy, name).not.toContain('secretsmanager:');
        // The table's decision makes data keys for its note, the triage's description and note reads unwrap
        // them: each for that alone (tests/infra/aws/constructs/triage-write.test.ts and triage-read.test.ts).
        if (!['triage-decision', 'triage-description', 'triage-note'].includes(name))
          expect(policy.includes(envelopeKey) || policy.includes('EnvelopeKey'), name).toBe(false);
      }
      if (!['authorizer', 'email-intake', 'cijfers-page'].includes(name)) expect(fn.Properties.Environment.Variables.PARTNERS_TABLE, name).toBeUndefined();
    }
  });

  it('lets the e-mail intake read only the sender entries of the partners table, never the API keys', () => {
    const partners = statementsOf('email-intake').filter((s) => importOf(s.Resource).includes('PartnersTable'));
    expect(partners).toEqual([
      expect.objectContaining({
        Action: 'dynamodb:GetItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['sender#*'] } },
      }),
    ]);
  });

  it('gives read-only handlers no write actions on DynamoDB', () => {
    for (const name of ['statistics', 'signal-status', 'authorizer']) {
      const actions = actionsOf(name).filter((a) => a.startsWith('dynamodb:'));
      expect(actions.length, name).toBeGreaterThan(0);
      expect(
        actions.filter((a) => /Put|Update|Delete|Write/.test(a)),
        name,
      ).toEqual([]);
    }
    for (const name of ['openapi', 'not-found'])
      expect(
        actionsOf(name).filter((a) => /dynamodb|sqs|kms|secretsmanager/.test(a)),
        name,
      ).toEqual([]);
  });
});

describe('HTTP API', () => {
  it('routes every route of the contract, behind the authorizer exactly when it has a scope, and the rest to $default', () => {
    const routes = resources('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([...httpRoutes.map(routeKeyOf), '$default'].sort());
    for (const route of httpRoutes) {
      const deployed = routes.find((r) => r.RouteKey === routeKeyOf(route))!;
      expect(deployed.AuthorizationType, routeKeyOf(route)).toBe(route.permission ? 'CUSTOM' : 'NONE');
    }
    const fallback = routes.find((r) => r.RouteKey === '$default')!;
    const integration = service.toJSON().Resources[fallback.Target['Fn::Join'][1][1].Ref];
    expect(importOf(integration.Properties.IntegrationUri)).toContain(functionNamed('not-found')[0]);
  });

  it('has a Lambda REQUEST authorizer with simple responses, run for every request so that refusals are problem+json', () => {
    service.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: [],
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: { 'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [functionNamed('authorizer')[0], 'Arn'] }])] },
    });
  });

  it('logs access as JSON without the client IP and throttles the stage by default', () => {
    const [[, stage]] = resources('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      AccessLogSettings: { DestinationArn: expect.anything() },
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(stage.Properties.AccessLogSettings.Format).not.toContain('sourceIp');
  });
});

describe('event source mappings', () => {
  it('feeds the consumer from the signal queue in batches of 10, reporting batch item failures, with bounded concurrency', () => {
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed('signal-consumer')[0] },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  it('feeds the aggregator from the signals stream with bisect-on-error, bounded retries and an on-failure queue', () => {
    service.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed('aggregator')[0] },
      StartingPosition: 'TRIM_HORIZON',
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      ParallelizationFactor: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataSignalsTable'), 'StreamArn'] },
    });
  });
});

describe('alarms', () => {
  const alarms = () => resources('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const topic = () => resources('AWS::SNS::Topic')[0]![0];

  it('sends every alarm to one encrypted SNS topic', () => {
    expect(resources('AWS::SNS::Topic')).toHaveLength(1);
    expect(resources('AWS::SNS::Topic')[0]![1].Properties.KmsMasterKeyId).toBeDefined();
    for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([{ Ref: topic() }]);
  });

  it("alarms on any message in a dead-letter or failure queue: the signal DLQ, the aggregator's and the e-mail intake's", () => {
    const dlq = alarms().filter((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible');
    expect(dlq).toHaveLength(3);
    for (const alarm of dlq) expect(alarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' });
  });

  it('alarms on the aggregator falling behind the stream', () => {
    expect(alarms()).toContainEqual(
      expect.objectContaining({
        MetricName: 'IteratorAge',
        Threshold: 15 * 60 * 1000,
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionNamed('aggregator')[0] } }],
      }),
    );
  });

  it('alarms on the API 5xx rate as a share of requests', () => {
    const rate = alarms().find((a) => a.Metrics?.some((m: { Expression?: string }) => m.Expression?.includes('errors / requests')));
    expect(rate).toMatchObject({ Threshold: 5 });
    expect(
      rate!.Metrics.map((m: any) => m.MetricStat?.Metric.MetricName)
        .filter(Boolean)
        .sort(),
    ).toEqual(['5xx', 'Count']);
  });

  it('alarms on errors and on throttles of every function', () => {
    for (const [id] of resources('AWS::Lambda::Function')) {
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarms(), `${metric} of ${id}`).toContainEqual(
          expect.objectContaining({ MetricName: metric, Threshold: 1, Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }] }),
        );
      }
    }
  });
});
