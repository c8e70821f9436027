import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { stackNameOf, stackOutput } from '../../../infra/aws/stack-outputs.js';

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

describe('stackOutput', () => {
  it("reads one output of the stage's stack", async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Meldroute-dev' }).resolves({
      Stacks: [
        {
          StackName: 'Meldroute-dev',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: 'PartnersTableName', OutputValue: 'Meldroute-dev-DataPartnersTable-1X' }],
        },
      ],
    });
    expect(await stackOutput(new CloudFormationClient({}), stackNameOf('dev'), 'PartnersTableName')).toBe('Meldroute-dev-DataPartnersTable-1X');
    expect(await stackOutput(new CloudFormationClient({}), stackNameOf('dev'), 'Nope')).toBeUndefined();
  });

  it('finds an output made inside a construct under the key CDK derives from its path', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'Meldroute-dev',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'DataPartnersTableNameE54D9679', OutputValue: 'partners' },
            { OutputKey: 'DataOtherPartnersTableNameX', OutputValue: 'not this' },
          ],
        },
      ],
    });
    expect(await stackOutput(new CloudFormationClient({}), stackNameOf('dev'), 'PartnersTableName')).toBe('partners');
  });

  it('answers undefined for a stage that is not deployed, and passes on other failures', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id Meldroute-prod does not exist'), { name: 'ValidationError' }));
    expect(await stackOutput(new CloudFormationClient({}), 'Meldroute-prod', 'PartnersTableName')).toBeUndefined();
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(stackOutput(new CloudFormationClient({}), 'Meldroute-prod', 'PartnersTableName')).rejects.toThrow('denied');
  });
});
