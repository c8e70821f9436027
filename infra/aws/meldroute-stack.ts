import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Aggregation } from './constructs/aggregation.js';
import { Audit } from './constructs/audit.js';
import { MeldrouteData } from './constructs/data.js';
import { EmailIntake } from './constructs/email-intake.js';
import { Health } from './constructs/health.js';
import { MeldrouteHttpApi } from './constructs/http-api.js';
import { Intake } from './constructs/intake.js';
import type { MeldrouteFunction } from './constructs/meldroute-function.js';
import { Monitoring } from './constructs/monitoring.js';
import { Privacy } from './constructs/privacy.js';
import { Processing } from './constructs/processing.js';
import { Statistics } from './constructs/statistics.js';
import { TriageRead } from './constructs/triage-read.js';
import { TriageWrite } from './constructs/triage-write.js';
import { Web } from './constructs/web.js';
import type { StageConfig } from './stage-config.js';

export interface MeldrouteStackProps extends StackProps {
  config: StageConfig;
  alarmEmail?: string;
  /** The meldpunt addresses SES receives mail for. */
  mailRecipients?: string[];
}

/**
 * One stage of Meldroute, so that `npx cdk deploy -c stage=dev` needs no stack name. Stateful and
 * stateless are apart as construct groups: `Data` holds tables, queues, keys and secret (retained);
 * the capabilities (API, intake, processing, aggregation, statistics, monitoring) are stateless and
 * receive the data resources as props; the e-mail channel (SES to S3 to Lambda) is one of them.
 */
export class MeldrouteStack extends Stack {
  readonly data: MeldrouteData;
  readonly functions: MeldrouteFunction[];
  readonly api: MeldrouteHttpApi;

  constructor(scope: Construct, id: string, props: MeldrouteStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.data = new MeldrouteData(this, 'Data', { config });
    const data = this.data;

    this.api = new MeldrouteHttpApi(this, 'Api', { config, partnersTable: data.tables.partners });
    const intake = new Intake(this, 'Intake', {
      config,
      api: this.api,
      signalQueue: data.signalQueue,
      intakeClaimsTable: data.tables.intakeClaims,
      signalsTable: data.tables.signals,
      pseudonymSecret: data.pseudonymSecret,
      secretKey: data.storageKey,
      envelopeKey: data.envelopeKey,
    });
    const email = new EmailIntake(this, 'Email', {
      config,
      intake,
      mailBucket: data.mailBucket,
      mailKey: data.mailKey,
      failureQueue: data.mailFailureQueue,
      partnersTable: data.tables.partners,
      recipients: props.mailRecipients ?? [],
    });
    new Web(this, 'Web', { config, api: this.api, intake, statisticsTable: data.tables.statistics, partnersTable: data.tables.partners });
    const processing = new Processing(this, 'Processing', {
      config,
      signalQueue: data.signalQueue,
      signalsTable: data.tables.signals,
      linksTable: data.tables.links,
    });
    const aggregation = new Aggregation(this, 'Aggregation', {
      config,
      signalsTable: data.tables.signals,
      statisticsTable: data.tables.statistics,
      failureQueue: data.aggregatorFailureQueue,
    });
    const statistics = new Statistics(this, 'Statistics', { config, api: this.api, statisticsTable: data.tables.statistics });
    new Health(this, 'Health', { config, api: this.api, signalsTable: data.tables.signals, signalQueue: data.signalQueue });
    new Audit(this, 'Audit', { config, api: this.api, auditTable: data.tables.audit, storageKey: data.storageKey });
    const privacy = new Privacy(this, 'Privacy', {
      config,
      api: this.api,
      signalsTable: data.tables.signals,
      linksTable: data.tables.links,
      auditTable: data.tables.audit,
      pseudonymSecret: data.pseudonymSecret,
      storageKey: data.storageKey,
    });
    new TriageRead(this, 'TriageRead', {
      config,
      api: this.api,
      signalsTable: data.tables.signals,
      linksTable: data.tables.links,
      auditTable: data.tables.audit,
      storageKey: data.storageKey,
      envelopeKey: data.envelopeKey,
    });
    new TriageWrite(this, 'TriageWrite', {
      config,
      api: this.api,
      signalsTable: data.tables.signals,
      auditTable: data.tables.audit,
      storageKey: data.storageKey,
      envelopeKey: data.envelopeKey,
    });

    const unrouted = this.api.unroutedRoutes();
    if (unrouted.length > 0) throw new Error(`Routes of the contract without a function: ${unrouted.join(', ')}`);

    this.functions = [...this.api.functions, email.function, processing.consumer, aggregation.aggregator, statistics.release, privacy.retentionSweep];
    new Monitoring(this, 'Monitoring', {
      config,
      functions: this.functions,
      signalQueue: data.signalQueue,
      deadLetterQueues: {
        SignalDeadLetterQueue: data.signalDeadLetterQueue,
        AggregatorFailureQueue: data.aggregatorFailureQueue,
        MailFailureQueue: data.mailFailureQueue,
      },
      aggregator: aggregation.aggregator,
      api: this.api.api,
      alarmEmail: props.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the partner API' });
  }
}
