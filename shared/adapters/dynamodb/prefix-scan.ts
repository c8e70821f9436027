import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Every item whose `pk` starts with `prefix`, page by page, with the rest of its key. For operators'
 * listings of the partners table (keys, senders): a scan, never on a request path.
 */
export async function scanByKeyPrefix(client: DynamoDBClient, tableName: string, prefix: string): Promise<Array<{ key: string; item: Record<string, any> }>> {
  const found: Array<{ key: string; item: Record<string, any> }> = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: marshall({ ':prefix': prefix }),
        ExclusiveStartKey,
      }),
    );
    for (const raw of page.Items ?? []) {
      const item = unmarshall(raw);
      found.push({ key: String(item.pk).slice(prefix.length), item });
    }
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return found;
}
