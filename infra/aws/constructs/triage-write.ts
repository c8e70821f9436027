import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { triageDecisionRoute, triageEnrichmentRoute } from '../../../functions/routes.js';
import type { StageConfig } from '../stage-config.js';
import { grantAuditAppend } from './audit-log-policy.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface TriageWriteProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  signalsTable: ITable;
  auditTable: ITable;
  /** The key the tables are encrypted with. */
  storageKey: IKey;
  /** The key a decision's note is envelope-encrypted under, as intake encrypts a description. */
  envelopeKey: IKey;
}

/**
 * The table's changes: PATCH /v1/triage/signals/{signalId} (enrichment) and POST …/decisions. Each reads and
 * updates one signal (GetItem, UpdateItem; never Put, Delete or Scan) and appends its audit entry in the same
 * TransactWriteItems, with the audit log's append grant and nothing more. The decision function may make
 * data keys for the note, and never unwrap one.
 */
export class TriageWrite extends Construct {
  readonly enrichment: MeldrouteFunction;
  readonly decision: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: TriageWriteProps) {
    super(scope, id);
    const { config, api } = props;
    const equip = (fn: MeldrouteFunction) => {
      fn.useTableActions('signals', props.signalsTable, ['dynamodb:GetItem', 'dynamodb:UpdateItem']);
      grantAuditAppend(fn, props.auditTable, props.storageKey);
      api.addRoutes(fn);
      return fn;
    };
    this.enrichment = equip(new MeldrouteFunction(this, 'TriageEnrichment', { name: triageEnrichmentRoute.functionName, config }));
    this.decision = equip(new MeldrouteFunction(this, 'TriageDecision', { name: triageDecisionRoute.functionName, config }));
    this.decision.addEnvironment('ENVELOPE_KEY_ARN', props.envelopeKey.keyArn);
    props.envelopeKey.grant(this.decision, 'kms:GenerateDataKey');
  }
}
