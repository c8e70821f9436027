import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Accepts one cdk-nag finding on one construct, with the reason. Every acknowledgement goes through
 * here, so `grep acknowledge(` lists them all; a test checks that each names a rule and gives a reason.
 */
export function acknowledge(scope: IConstruct, rule: string, reason: string): void {
  if (!/^(AwsSolutions|Serverless)-\w+(\[.+\])?$/.test(rule) || reason.length < 20) {
    throw new Error(`A cdk-nag acknowledgement needs a rule id and a reason: ${rule}`);
  }
  Validations.of(scope).acknowledge({ id: rule, reason });
}
