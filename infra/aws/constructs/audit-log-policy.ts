import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { tables } from '../../resources.js';
import { acknowledge } from '../nag-suppressions.js';
import type { MeldrouteFunction } from './meldroute-function.js';

/**
 * What IAM enforces for the audit log, said once. The adapter (shared/adapters/dynamodb/audit-log.ts) keeps
 * entries in partition `entry` and the head in partition `head`; IAM can tell the two apart by
 * `dynamodb:LeadingKeys` (the partition key of the item a request touches), though not by anything else in
 * an item.
 *
 * Enforced by IAM:
 * - nobody deletes an item, in any way (DeleteItem, BatchWriteItem, PartiQL writes): the table's own
 *   policy denies it to every principal, administrators included, until that policy is changed (which
 *   CloudTrail records);
 * - nobody updates an entry, nor puts anything but an entry: Update only in `head`, Put only in `entry`;
 * - a function that appends (grantAuditAppend) may Put and Update only inside TransactWriteItems
 *   (`dynamodb:EnclosingOperation`), so never an entry without its head or a head without its entry.
 *
 * Enforced by the code only: that a Put does not replace an entry already there. IAM sees no condition
 * expression, so a Put of an existing key would be allowed; the adapter's `attribute_not_exists(pk)` is
 * what refuses it, and cancels the head's update with it. A writer that left it out, or recomputed the
 * chain after changing an entry, is found by `npm run audit -- verify` only as far as the head and
 * point-in-time recovery still hold the original.
 */
const ENTRY_PARTITION = 'entry';
const HEAD_PARTITION = 'head';

const indexArns = (table: ITable) => tables.audit.indexes.map((index) => `${table.tableArn}/index/${index.name}`);

/** The table's resource policy: denials that hold for every principal, whatever its own policies allow. */
export function auditTableResourcePolicy(): PolicyDocument {
  const everyone = [new AnyPrincipal()];
  return new PolicyDocument({
    statements: [
      new PolicyStatement({
        sid: 'AuditEntriesAreNeverDeleted',
        effect: Effect.DENY,
        principals: everyone,
        actions: ['dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate', 'dynamodb:PartiQLDelete'],
        resources: ['*'],
      }),
      new PolicyStatement({
        sid: 'OnlyTheHeadIsUpdated',
        effect: Effect.DENY,
        principals: everyone,
        actions: ['dynamodb:UpdateItem'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringNotEquals': { 'dynamodb:LeadingKeys': [HEAD_PARTITION] } },
      }),
      new PolicyStatement({
        sid: 'OnlyEntriesArePut',
        effect: Effect.DENY,
        principals: everyone,
        actions: ['dynamodb:PutItem'],
        resources: ['*'],
        conditions: { 'ForAnyValue:StringNotEquals': { 'dynamodb:LeadingKeys': [ENTRY_PARTITION] } },
      }),
    ],
  });
}

/** For GET /v1/audit and the like: read the head, the entries and both indexes; nothing else. */
export function grantAuditRead(fn: MeldrouteFunction, table: ITable, key: IKey): void {
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [table.tableArn] }));
  fn.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns(table) }));
  // As CDK's grantReadData would: DynamoDB decrypts an item with the table's key on the reader's behalf.
  key.grant(fn, 'kms:Decrypt', 'kms:DescribeKey');
  fn.addEnvironment(tables.audit.env, table.tableName);
}

/**
 * For a function that appends (appendAudit through the adapter): read the head; Put an entry and Update the
 * head, each only within a TransactWriteItems. No Delete, no BatchWriteItem, no Update of an entry.
 */
export function grantAuditAppend(fn: MeldrouteFunction, table: ITable, key: IKey): void {
  const inTransaction = { 'ForAnyValue:StringEquals': { 'dynamodb:EnclosingOperation': ['TransactWriteItems'] } };
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [HEAD_PARTITION] } },
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:PutItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [ENTRY_PARTITION] }, ...inTransaction },
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:UpdateItem'],
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [HEAD_PARTITION] }, ...inTransaction },
    }),
  );
  // As CDK's grantReadWriteData would, for the table's key.
  key.grant(fn, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*');
  for (const action of ['kms:GenerateDataKey*', 'kms:ReEncrypt*']) {
    acknowledge(
      fn.executionRole,
      `AwsSolutions-IAM5[Action::${action}]`,
      "CDK's grant for writing to a table encrypted with our storage key; the statement names that one key.",
    );
  }
  fn.addEnvironment(tables.audit.env, table.tableName);
}
