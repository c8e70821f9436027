import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledge } from '../../../infra/aws/nag-suppressions.js';
import { synthesise } from './synthesised-app.js';

interface Violation {
  ruleName: string;
  severity: string;
  violatingConstructs?: Array<{ constructPath: string }>;
}

/** The findings CDK's policy validation wrote for the assembly; acknowledged ones are not in it. */
function findings(assemblyDirectory: string): string[] {
  const file = join(assemblyDirectory, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as { pluginReports: Array<{ violations: Violation[] }> };
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) => (v.violatingConstructs ?? [{ constructPath: '?' }]).map((c) => `${v.severity} ${v.ruleName} at ${c.constructPath}`)),
  );
}

describe('cdk-nag', () => {
  for (const stage of ['dev', 'prod'] as const) {
    it(`finds no unacknowledged error or warning of the AwsSolutions and Serverless packs (${stage})`, () => {
      const { assembly } = synthesise(stage, { mailRecipient: 'meldpunt@example.nl', ...(stage === 'prod' && { alarmEmail: 'oncall@example.nl' }) });
      expect(findings(assembly.directory)).toEqual([]);
    });
  }

  it('does report a finding nobody acknowledged, so the check above can fail', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'meldroute-nag-')) });
    const stack = new Stack(app, 'Control');
    new Queue(stack, 'Unencrypted', { encryption: undefined, enforceSSL: false });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
    let report: string[] = [];
    try {
      report = findings(app.synth().directory);
    } catch (error) {
      // An in-memory app throws on validation errors, with the report in the message.
      report = [String(error)];
    }
    expect(report.join('\n')).toMatch(/AwsSolutions-SQS3|AwsSolutions-SQS4/);
  });

  it('refuses an acknowledgement without a rule id or a reason', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => acknowledge(stack, 'AwsSolutions-IAM4', 'ok')).toThrow(/reason/);
    expect(() => acknowledge(stack, 'IAM4', 'A long enough reason that names nothing')).toThrow(/rule id/);
  });
});
