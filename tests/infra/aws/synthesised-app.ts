import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, cx_api as cxapi } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/aws/app.js';

/**
 * Synthesises the CDK app for a stage and gives its stack and template. Without bundling: the templates
 * these tests read do not depend on what esbuild makes of a handler, and bundling ~26 handlers for each of
 * a dozen files was most of the CDK tests' time. The bundles themselves are built and checked by
 * cdk-synth.test.ts (the real `cdk synth`) and tests/integration/lambda-bundles.test.ts.
 */
export function synthesise(stage: 'dev' | 'prod' = 'dev', context: Record<string, string> = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'meldroute-cdk-'));
  const app = new App({ outdir, context: { stage, ...context, [cxapi.BUNDLING_STACKS]: [] } });
  const { config, stack } = buildApp(app);
  const assembly = app.synth();
  return { config, stack, assembly, template: Template.fromStack(stack) };
}
