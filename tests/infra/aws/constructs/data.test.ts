import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tables } from '../../../../infra/resources.js';
import { synthesise } from '../synthesised-app.js';

// The data construct group's resources, read from the stage's one template.
let data: Template;
beforeAll(() => {
  ({ template: data } = synthesise('dev'));
});

const resourcesOf = (template: Template, type: string) => Object.entries(template.findResources(type));
const refTo = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
const logicalIdOf = (template: Template, type: string, pattern: RegExp) => {
  const found = Object.keys(template.findResources(type)).filter((id) => pattern.test(id));
  expect(found, `one ${type} matching ${pattern}`).toHaveLength(1);
  return found[0]!;
};

describe('data: the tables', () => {
  it('has one table per table of infra/resources.ts, each on demand, retained and protected from deletion', () => {
    const found = resourcesOf(data, 'AWS::DynamoDB::Table');
    expect(found).toHaveLength(Object.keys(tables).length);
    for (const [, table] of found) {
      expect(table).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          DeletionProtectionEnabled: true,
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        },
      });
    }
  });

  it('encrypts every table with the customer-managed storage key, which rotates', () => {
    const storageKey = logicalIdOf(data, 'AWS::KMS::Key', /^DataStorageKey/);
    for (const [, table] of resourcesOf(data, 'AWS::DynamoDB::Table')) {
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: refTo(storageKey) });
    }
    data.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
    for (const [, key] of resourcesOf(data, 'AWS::KMS::Key')) expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('streams new and old images of signals and expires signals and claims by TTL', () => {
    const signals = logicalIdOf(data, 'AWS::DynamoDB::Table', /^DataSignalsTable/);
    expect(data.toJSON().Resources[signals].Properties).toMatchObject({
      KeySchema: [{ AttributeName: tables.signals.partitionKey, KeyType: 'HASH' }],
      StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const claims = logicalIdOf(data, 'AWS::DynamoDB::Table', /^DataIntakeClaimsTable/);
    expect(data.toJSON().Resources[claims].Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
  });

  it('keys the links table by match key and entry, keeps TTL for entries made before the retention sweep, and lets the consumer write it without reading it', () => {
    const links = logicalIdOf(data, 'AWS::DynamoDB::Table', /^DataLinksTable/);
    expect(data.toJSON().Resources[links].Properties).toMatchObject({
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    const knowing = Object.values(data.findResources('AWS::Lambda::Function')).filter((fn) => fn.Properties.Environment?.Variables?.[tables.links.env]);
    expect(knowing.map((fn) => fn.Properties.Description)).toEqual(
      expect.arrayContaining(['Meldroute signal-consumer (dev)', 'Meldroute privacy-erasure (dev)', 'Meldroute retention-sweep (dev)']),
    );
    // The consumer's own grants on the links table: writing, never reading (the erasure and the sweep read and remove).
    const consumer = Object.entries(data.findResources('AWS::Lambda::Function')).find(
      ([, fn]) => fn.Properties.Description === 'Meldroute signal-consumer (dev)',
    )!;
    const role = consumer[1].Properties.Role['Fn::GetAtt'][0];
    const grants = Object.values(data.findResources('AWS::IAM::Policy'))
      .filter((policy) => policy.Properties.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .filter((statement) => JSON.stringify(statement.Resource).includes(links));
    expect(grants.length).toBeGreaterThan(0);
    expect(grants.flatMap((statement) => [statement.Action].flat()).filter((action: string) => /Get|Query|Scan/.test(action))).toEqual([]);
  });
});

describe('data: the queues', () => {
  it('encrypts every queue with the storage key, retains it, and refuses requests without TLS', () => {
    const storageKey = logicalIdOf(data, 'AWS::KMS::Key', /^DataStorageKey/);
    const queues = resourcesOf(data, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(4);
    for (const [id, queue] of queues) {
      expect(queue).toMatchObject({ DeletionPolicy: 'Retain', Properties: { KmsMasterKeyId: refTo(storageKey) } });
      data.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        },
      });
    }
  });

  it('gives the signal queue a visibility timeout of six times the consumer timeout and a DLQ after 5 receives', () => {
    const queue = logicalIdOf(data, 'AWS::SQS::Queue', /^DataSignalQueue/);
    const dlq = logicalIdOf(data, 'AWS::SQS::Queue', /^DataSignalDeadLetterQueue/);
    const props = data.toJSON().Resources[queue].Properties;
    expect(props.RedrivePolicy).toEqual({ deadLetterTargetArn: refTo(dlq), maxReceiveCount: 5 });
    const consumer = Object.values(data.findResources('AWS::Lambda::Function')).find((fn) =>
      fn.Properties.Description?.startsWith('Meldroute signal-consumer'),
    );
    expect(props.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer!.Properties.Timeout);
  });
});

describe('data: the keys for personal data', () => {
  it('generates the pseudonymisation key in Secrets Manager as {keyId, secret}, encrypted with the storage key, retained', () => {
    const storageKey = logicalIdOf(data, 'AWS::KMS::Key', /^DataStorageKey/);
    data.hasResource('AWS::SecretsManager::Secret', {
      DeletionPolicy: 'Retain',
      Properties: {
        KmsKeyId: refTo(storageKey),
        GenerateSecretString: { SecretStringTemplate: '{"keyId":"dev-1"}', GenerateStringKey: 'secret', PasswordLength: 64, ExcludePunctuation: true },
      },
    });
  });

  it('has a separate, rotating envelope key for free text', () => {
    const envelope = logicalIdOf(data, 'AWS::KMS::Key', /^DataEnvelopeKey/);
    expect(data.toJSON().Resources[envelope]).toMatchObject({ DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true } });
  });
});
