import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { triageDescriptionRoute, triageNoteRoute, triageSignalRoute, triageWorklistRoute } from '../../../functions/routes.js';
import { tables } from '../../resources.js';
import type { StageConfig } from '../stage-config.js';
import { grantAuditAppend } from './audit-log-policy.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface TriageReadProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  signalsTable: ITable;
  linksTable: ITable;
  auditTable: ITable;
  /** The key the tables are encrypted with. */
  storageKey: IKey;
  /** The key that wraps the data keys of the free text. */
  envelopeKey: IKey;
}

/**
 * Bound into every data key of a description and of a decision's note (shared/adapters/kms/data-key-provider.ts):
 * only those may be unwrapped.
 */
const DESCRIPTION_CONTEXT = { 'kms:EncryptionContext:purpose': 'meldroute:signal-description' };

/**
 * The table's reads, each function with only what it reads:
 * - the worklist queries the signals table's byRegion index (which projects no pseudonym), reads the age band
 *   and gender of the rows shown (BatchGetItem of `signalId` and `subject` only, by IAM condition: never the
 *   description) and the link index for repeats; it writes nothing, and its listings are not logged;
 * - the detail reads one signal and the link index, appends its look to the audit log and reads the log's
 *   entries about that signal (the bySignal index only);
 * - the description and the note read (a decision's note) each read one signal, append their look, and may
 *   unwrap a data key of that encryption context (kms:Decrypt on the envelope key), as no other function can.
 */
export class TriageRead extends Construct {
  readonly worklist: MeldrouteFunction;
  readonly signal: MeldrouteFunction;
  readonly description: MeldrouteFunction;
  readonly note: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: TriageReadProps) {
    super(scope, id);
    const { config, api, signalsTable, linksTable, auditTable, storageKey } = props;
    const readLinks = (fn: MeldrouteFunction) => fn.useTableActions('links', linksTable, ['dynamodb:GetItem', 'dynamodb:Query']);

    this.worklist = new MeldrouteFunction(this, 'TriageWorklist', { name: triageWorklistRoute.functionName, config });
    const worklistIndex = tables.signals.indexes.find((index) => index.name === 'byRegion')!;
    this.worklist.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${signalsTable.tableArn}/index/${worklistIndex.name}`] }));
    this.worklist.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:BatchGetItem'],
        resources: [signalsTable.tableArn],
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['signalId', 'subject'] },
          StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' },
        },
      }),
    );
    storageKey.grant(this.worklist, 'kms:Decrypt', 'kms:DescribeKey');
    this.worklist.addEnvironment(tables.signals.env, signalsTable.tableName);
    readLinks(this.worklist);
    api.addRoutes(this.worklist);

    this.signal = new MeldrouteFunction(this, 'TriageSignal', { name: triageSignalRoute.functionName, config });
    this.signal.useTableActions('signals', signalsTable, ['dynamodb:GetItem']);
    readLinks(this.signal);
    grantAuditAppend(this.signal, auditTable, storageKey);
    const bySignal = tables.audit.indexes.find((index) => index.name === 'bySignal')!;
    this.signal.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${auditTable.tableArn}/index/${bySignal.name}`] }));
    api.addRoutes(this.signal);

    // The two reads of encrypted text, granted alike: one signal, an append to the log, the unwrapping.
    const sealedReader = (id: string, name: typeof triageDescriptionRoute.functionName | typeof triageNoteRoute.functionName) => {
      const fn = new MeldrouteFunction(this, id, { name, config });
      fn.useTableActions('signals', signalsTable, ['dynamodb:GetItem']);
      grantAuditAppend(fn, auditTable, storageKey);
      fn.addEnvironment('ENVELOPE_KEY_ARN', props.envelopeKey.keyArn);
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['kms:Decrypt'], resources: [props.envelopeKey.keyArn], conditions: { StringEquals: DESCRIPTION_CONTEXT } }),
      );
      api.addRoutes(fn);
      return fn;
    };
    this.description = sealedReader('TriageDescription', triageDescriptionRoute.functionName);
    this.note = sealedReader('TriageNote', triageNoteRoute.functionName);
  }
}
