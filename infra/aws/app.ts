import { type App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { MeldrouteStack } from './meldroute-stack.js';
import { stackNameOf } from './stack-outputs.js';
import { stageConfig } from './stage-config.js';

/** Builds Meldroute's stack for the stage in `-c stage=…`, checked by cdk-nag's AwsSolutions and Serverless packs. */
export function buildApp(app: App) {
  const config = stageConfig(app.node.tryGetContext('stage'));
  const alarmEmail = app.node.tryGetContext('alarmEmail') as string | undefined;
  const mailRecipients = String(app.node.tryGetContext('mailRecipient') ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  // The region is ours to choose, not the CLI profile's: signals stay in the EU (Frankfurt) unless told otherwise.
  const region = (app.node.tryGetContext('region') as string | undefined) ?? 'eu-central-1';
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region };
  const stack = new MeldrouteStack(app, stackNameOf(config.stage), {
    env,
    config,
    alarmEmail,
    mailRecipients,
    description: `Meldroute (${config.stage}): signals of human trafficking, pseudonymised, and their live counts`,
    terminationProtection: config.stage === 'prod',
  });
  Tags.of(app).add('project', 'meldroute');
  Tags.of(app).add('stage', config.stage);

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  return { config, stack };
}
