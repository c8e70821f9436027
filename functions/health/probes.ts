import { DescribeTableCommand, type DynamoDBClient, type TableStatus } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { HealthCheck } from './checks.js';

/** States in which a table still serves reads and writes. */
const SERVING: readonly (TableStatus | undefined)[] = ['ACTIVE', 'UPDATING'];

/**
 * The table answers DescribeTable and serves: a table whose KMS key was disabled answers too, but as
 * INACCESSIBLE_ENCRYPTION_CREDENTIALS. DescribeTable reads no item, so the probe needs no data access.
 */
export const tableProbe =
  (client: Pick<DynamoDBClient, 'send'>, tableName: string): HealthCheck =>
  async (abortSignal) => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }), { abortSignal });
    if (!SERVING.includes(Table?.TableStatus)) throw new Error(`table status ${Table?.TableStatus}`);
  };

/** The queue answers GetQueueAttributes; asking only for its ARN, the cheapest attribute. */
export const queueProbe =
  (client: Pick<SQSClient, 'send'>, queueUrl: string): HealthCheck =>
  (abortSignal) =>
    client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }), { abortSignal });
