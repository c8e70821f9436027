import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { auditReadRoute } from '../../../functions/routes.js';
import type { StageConfig } from '../stage-config.js';
import { grantAuditRead } from './audit-log-policy.js';
import type { MeldrouteHttpApi } from './http-api.js';
import { MeldrouteFunction } from './meldroute-function.js';

export interface AuditProps {
  config: StageConfig;
  api: MeldrouteHttpApi;
  auditTable: ITable;
  storageKey: IKey;
}

/** GET /v1/audit for the privacy officer: reads the audit log, and may write nothing. */
export class Audit extends Construct {
  readonly reader: MeldrouteFunction;

  constructor(scope: Construct, id: string, props: AuditProps) {
    super(scope, id);
    this.reader = new MeldrouteFunction(this, 'AuditRead', { name: auditReadRoute.functionName, config: props.config });
    grantAuditRead(this.reader, props.auditTable, props.storageKey);
    props.api.addRoutes(this.reader);
  }
}
