import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npx cdk synth', () => {
  it("synthesises the stage's stack through cdk.json with no AWS credentials, no AWS config and no Docker", async () => {
    const home = mkdtempSync(join(tmpdir(), 'meldroute-home-'));
    const output = mkdtempSync(join(tmpdir(), 'meldroute-synth-'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && !name.startsWith('CDK_')));
    // An empty HOME hides ~/.aws; CDK_DOCKER naming no program makes any Docker bundling fail loudly.
    const result = await run('npx', ['cdk', 'synth', '-q', '--no-notices', '-c', 'stage=prod', '--output', output], {
      env: { ...env, HOME: home, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DOCKER: 'no-docker-here' },
      timeout: 120_000,
    });
    expect(result.stderr).not.toMatch(/docker/i);
    expect(readdirSync(output)).toEqual(expect.arrayContaining(['Meldroute-prod.template.json']));
  }, 150_000);
});
