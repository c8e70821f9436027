import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from '../synthesised-app.js';

let template: Template;
let widgets: Widget[];

type Widget = { type: string; properties: { title: string; metrics?: unknown[][]; alarms?: string[] } };
type Resource = { Properties: Record<string, any> };

/** The dashboard body as JSON, each CloudFormation reference in it written as `@Logical.Attribute@`. */
function bodyOf(dashboard: Resource): { widgets: Widget[] } {
  const [, parts] = dashboard.Properties.DashboardBody['Fn::Join'] as [string, unknown[]];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const { Ref, 'Fn::GetAtt': getAtt } = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
      return `@${Ref ?? getAtt!.join('.')}@`;
    })
    .join('');
  return JSON.parse(text) as { widgets: Widget[] };
}

const logicalId = (prefix: string) => {
  const ids = Object.keys(template.toJSON().Resources).filter((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
  expect(ids, prefix).toHaveLength(1);
  return ids[0]!;
};
/** Every metric line of the dashboard as `namespace metric dimension=value…`. */
const metricLines = () =>
  widgets.flatMap((w) =>
    (w.properties.metrics ?? []).map((line) => {
      const [namespace, name, ...rest] = line.filter((x) => typeof x === 'string') as string[];
      const dims: string[] = [];
      for (let i = 0; i + 1 < rest.length; i += 2) dims.push(`${rest[i]}=${rest[i + 1]}`);
      return [namespace, name, ...dims].join(' ');
    }),
  );
const widgetTitled = (title: RegExp) => {
  const found = widgets.filter((w) => title.test(w.properties.title));
  expect(found, String(title)).toHaveLength(1);
  return found[0]!;
};

beforeAll(() => {
  ({ template } = synthesise('dev'));
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as Resource[];
  expect(dashboards).toHaveLength(1);
  expect(dashboards[0]!.Properties.DashboardName).toBe('meldroute-dev');
  ({ widgets } = bodyOf(dashboards[0]!));
});

describe('the operator dashboard', () => {
  it("shows the signal queue's depth and the age of its oldest message", () => {
    const queue = `QueueName=@${logicalId('DataSignalQueue')}.QueueName@`;
    expect(metricLines()).toEqual(
      expect.arrayContaining([`AWS/SQS ApproximateNumberOfMessagesVisible ${queue}`, `AWS/SQS ApproximateAgeOfOldestMessage ${queue}`]),
    );
  });

  it('shows the depth of every dead-letter queue', () => {
    const widget = widgetTitled(/Dead-letter/);
    const lines = (widget.properties.metrics ?? []).map((line) => line.join(' '));
    for (const queue of ['DataSignalDeadLetterQueue', 'DataAggregatorFailureQueue', 'DataMailFailureQueue']) {
      expect(
        lines.some((l) => l.includes('ApproximateNumberOfMessagesVisible') && l.includes(`@${logicalId(queue)}.QueueName@`)),
        queue,
      ).toBe(true);
    }
  });

  it("shows the aggregator's stream iterator age", () => {
    expect(metricLines()).toContain(`AWS/Lambda IteratorAge FunctionName=@${logicalId('AggregationAggregator')}@`);
  });

  it("shows the HTTP API's 4xx and 5xx", () => {
    const [api] = Object.keys(template.findResources('AWS::ApiGatewayV2::Api')).map((id) => `ApiId=@${id}@`);
    expect(metricLines()).toEqual(expect.arrayContaining([`AWS/ApiGateway 4xx ${api}`, `AWS/ApiGateway 5xx ${api}`]));
  });

  it('shows errors and throttles of every function', () => {
    const functions = Object.keys(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThan(10);
    for (const fn of functions) {
      expect(metricLines(), fn).toContain(`AWS/Lambda Errors FunctionName=@${fn}@`);
      expect(metricLines(), fn).toContain(`AWS/Lambda Throttles FunctionName=@${fn}@`);
    }
  });

  it("shows the signals accepted per channel from the handlers' own metric namespace", () => {
    const namespaces = new Set(
      Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE),
    );
    expect([...namespaces]).toEqual(['Meldroute']);
    const [[search]] = widgetTitled(/per channel/).properties.metrics as [[{ expression: string; label: string }]];
    expect(search.expression).toBe(`SEARCH('Namespace="Meldroute" MetricName="SignalsAccepted"', 'Sum', 300)`);
    expect(search.label).toContain("PROP('Dim.channel')");
  });

  it('lists every alarm of the stack', () => {
    const alarms = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).map((id) => `@${id}.Arn@`);
    expect(widgetTitled(/Alarms/).properties.alarms?.sort()).toEqual(alarms.sort());
  });
});
