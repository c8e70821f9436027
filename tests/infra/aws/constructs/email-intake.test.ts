import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthesise } from '../synthesised-app.js';

// The e-mail channel, read from the dev stage's template with a meldpunt address configured, and without.
let email: Template;
let withoutRecipient: ReturnType<typeof synthesise>;
beforeAll(() => {
  ({ template: email } = synthesise('dev', { mailRecipient: 'meldpunt@meldroute.example.nl' }));
  withoutRecipient = synthesise('dev');
});

type Resource = { Type: string; Properties: Record<string, any>; DependsOn?: string[] };
const resources = (template: Template, type: string) => Object.entries(template.findResources(type)) as Array<[string, Resource]>;
const idOf = (template: Template, type: string, pattern: RegExp) => {
  const found = resources(template, type).filter(([id]) => pattern.test(id));
  expect(found, `one ${type} matching ${pattern}`).toHaveLength(1);
  return found[0]![0];
};
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

describe('email: receiving with SES', () => {
  it('has a receipt rule for the configured address that scans, requires TLS and stores the message under inbound/', () => {
    const bucket = idOf(email, 'AWS::S3::Bucket', /^DataMailBucket/);
    email.hasResourceProperties('AWS::SES::ReceiptRule', {
      Rule: {
        Enabled: true,
        Recipients: ['meldpunt@meldroute.example.nl'],
        ScanEnabled: true,
        TlsPolicy: 'Require',
        Actions: [{ S3Action: { BucketName: { Ref: bucket }, ObjectKeyPrefix: 'inbound/' } }],
      },
    });
    expect(resources(email, 'AWS::SES::ReceiptRuleSet')).toHaveLength(1);
  });

  it('creates no receipt rule without a configured address, and says so', () => {
    expect(resources(withoutRecipient.template, 'AWS::SES::ReceiptRule')).toHaveLength(0);
    const warnings = withoutRecipient.assembly.getStackArtifact(withoutRecipient.stack.artifactId).messages.filter((m) => m.level === 'warning');
    expect(warnings.map((m) => String(m.entry.data))).toContainEqual(expect.stringContaining('-c mailRecipient='));
  });
});

describe('email: the mail bucket', () => {
  it('is encrypted with its own rotating key, blocks public access, enforces TLS and expires mail after a day', () => {
    const key = idOf(email, 'AWS::KMS::Key', /^DataMailKey/);
    const bucket = idOf(email, 'AWS::S3::Bucket', /^DataMailBucket/);
    expect(email.toJSON().Resources[bucket]).toMatchObject({
      DeletionPolicy: 'Retain',
      Properties: {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(key) } },
          ],
        },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 1, Status: 'Enabled' })] },
      },
    });
    email.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: Match.stringLikeRegexp('received mail') });
    email.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 's3:PutObject',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          }),
        ]),
      },
    });
  });

  it("lets SES make data keys with the mail key, for this account's receipt rules only", () => {
    const key = idOf(email, 'AWS::KMS::Key', /^DataMailKey/);
    const statements = email.toJSON().Resources[key].Properties.KeyPolicy.Statement as Array<Record<string, any>>;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Principal: { Service: 'ses.amazonaws.com' },
        Action: ['kms:GenerateDataKey*', 'kms:Encrypt'],
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      }),
    );
  });
});

describe('email: the intake function', () => {
  const intake = () => idOf(email, 'AWS::Lambda::Function', /^EmailEmailIntake[0-9A-F]{8}$/);

  it('is invoked by the bucket for every object created under inbound/, the permission existing first', () => {
    const bucket = idOf(email, 'AWS::S3::Bucket', /^DataMailBucket/);
    const resource = email.toJSON().Resources[bucket];
    expect(resource.Properties.NotificationConfiguration).toEqual({
      LambdaConfigurations: [{ Event: 's3:ObjectCreated:*', Function: arnOf(intake()), Filter: { S3Key: { Rules: [{ Name: 'prefix', Value: 'inbound/' }] } } }],
    });
    const permission = idOf(email, 'AWS::Lambda::Permission', /InvokedByMailBucket/);
    expect(resource.DependsOn).toContain(permission);
    email.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 's3.amazonaws.com',
      SourceAccount: { Ref: 'AWS::AccountId' },
      FunctionName: arnOf(intake()),
    });
    expect(resources(email, 'Custom::S3BucketNotifications')).toHaveLength(0);
  });

  it('retries twice and then sends the event to the mail failure queue', () => {
    const queue = idOf(email, 'AWS::SQS::Queue', /^DataMailFailureQueue/);
    email.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: intake() },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: arnOf(queue) } },
    });
  });

  it('may read and delete received mail under inbound/ and nothing else of the bucket', () => {
    const bucket = idOf(email, 'AWS::S3::Bucket', /^DataMailBucket/);
    const s3Statements = resources(email, 'AWS::IAM::Policy')
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Array<Record<string, any>>)
      .filter((s) => [s.Action].flat().some((a: string) => a.startsWith('s3:')));
    expect(s3Statements).toEqual([
      expect.objectContaining({ Action: ['s3:GetObject', 's3:DeleteObject'], Resource: { 'Fn::Join': ['', [arnOf(bucket), '/inbound/*']] } }),
    ]);
  });

  it('has a 60 s timeout and 1 GB memory, for a 10 MB message parsed in memory', () => {
    expect(email.toJSON().Resources[intake()].Properties).toMatchObject({ Timeout: 60, MemorySize: 1024 });
  });
});
