import { type CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** The name a stage's stack is deployed under; the CDK app and the operator scripts agree on it here. */
export const stackNameOf = (stage: string) => `Meldroute-${stage}`;

/**
 * One output of a deployed stack (what `cdk deploy` printed), for the operator scripts. Undefined when
 * the stack is not deployed in that region or has no such output.
 */
export async function stackOutput(cloudFormation: Pick<CloudFormationClient, 'send'>, stackName: string, outputKey: string): Promise<string | undefined> {
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    // An output made inside a construct gets a key CDK derives from its path: e.g. DataPartnersTableNameE54D9679.
    const derived = new RegExp(`^[A-Za-z0-9]*${outputKey}[0-9A-F]{8}$`);
    const outputs = Stacks?.[0]?.Outputs ?? [];
    return (outputs.find((o) => o.OutputKey === outputKey) ?? outputs.find((o) => derived.test(o.OutputKey ?? '')))?.OutputValue;
  } catch (error) {
    // CloudFormation answers a stack it does not know with a ValidationError "does not exist".
    if ((error as Error).name === 'ValidationError' && /does not exist/.test((error as Error).message)) return undefined;
    throw error;
  }
}
