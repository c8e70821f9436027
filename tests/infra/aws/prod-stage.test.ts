import type { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from './synthesised-app.js';

let service: Template;
let assembly: CloudAssembly;
beforeAll(() => {
  ({ template: service, assembly } = synthesise('prod', { alarmEmail: 'oncall@example.nl' }));
});

const resources = (type: string) => Object.values(service.findResources(type)) as Array<{ Properties: Record<string, any> }>;

describe('-c stage=prod', () => {
  it('names the one stack by stage, protects it from termination and deploys it to eu-central-1', () => {
    expect(assembly.stacks.map((s) => s.stackName)).toEqual(['Meldroute-prod']);
    const stack = assembly.getStackByName('Meldroute-prod');
    expect(stack.terminationProtection).toBe(true);
    expect(stack.environment.region).toBe('eu-central-1');
  });

  it('logs at INFO, keeps logs six months and allows prod throughput', () => {
    for (const fn of resources('AWS::Lambda::Function')) expect(fn.Properties.Environment.Variables.POWERTOOLS_LOG_LEVEL).toBe('INFO');
    for (const group of resources('AWS::Logs::LogGroup')) expect(group.Properties.RetentionInDays).toBe(180);
    expect(resources('AWS::ApiGatewayV2::Stage')[0]!.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    expect(resources('AWS::Lambda::EventSourceMapping').find((m) => m.Properties.ScalingConfig)!.Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
  });

  it('alarms sooner than dev and mails the on-call address given as context', () => {
    const alarms = resources('AWS::CloudWatch::Alarm').map((a) => a.Properties);
    expect(alarms.find((a) => a.MetricName === 'IteratorAge')!.Threshold).toBe(5 * 60 * 1000);
    expect(alarms.find((a) => a.Metrics?.length)!.Threshold).toBe(1);
    service.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.nl' });
  });
});
