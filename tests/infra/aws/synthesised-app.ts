import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/aws/app.js';

/** Synthesises the CDK app for a stage (bundling every handler with esbuild) and gives its stack and template. */
export function synthesise(stage: 'dev' | 'prod' = 'dev', context: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'meldroute-cdk-'));
  const app = new App({ outdir, context: { stage, ...context } });
  const { config, stack } = buildApp(app);
  const assembly = app.synth();
  return { config, stack, assembly, template: Template.fromStack(stack) };
}
