/**
 * npm run publish:web -- --stage dev|prod [--aws-region eu-central-1]: builds web/dist and uploads it
 * to the stage's site bucket (found through the stack's SiteBucketName output). Pages are sent with
 * `no-cache`, so CloudFront asks again at once; assets are cached five minutes. No invalidation needed.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { buildWeb } from '../web/build.js';
import { stackNameOf, stackOutput } from './aws/stack-outputs.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

const { values } = parseArgs({ options: { stage: { type: 'string' }, 'aws-region': { type: 'string' } } });
if (!values.stage) {
  console.error('usage: npm run publish:web -- --stage dev|prod [--aws-region eu-central-1]');
  process.exit(1);
}
const region = values['aws-region'] ?? process.env.AWS_REGION ?? 'eu-central-1';
const stackName = stackNameOf(values.stage);
const bucket = await stackOutput(new CloudFormationClient({ region }), stackName, 'SiteBucketName');
if (!bucket) {
  console.error(`${stackName} in ${region} has no SiteBucketName output; deploy it first (npx cdk deploy -c stage=${values.stage}).`);
  process.exit(1);
}

const dist = buildWeb();
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
const s3 = new S3Client({ region });
for (const file of files(dist)) {
  const key = relative(dist, file);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: readFileSync(file),
      ContentType: TYPES[extname(file)] ?? 'application/octet-stream',
      CacheControl: extname(file) === '.html' ? 'no-cache' : 'public, max-age=300',
    }),
  );
  console.log(`published ${key}`);
}
console.log(`The meldformulier of ${stackName} is up to date; see the SiteUrl output.`);
