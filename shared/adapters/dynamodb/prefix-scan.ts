import { type DynamoDBDocumentClient, type NativeAttributeValue, paginateScan } from '@aws-sdk/lib-dynamodb';

/**
 * Every item whose `pk` starts with `prefix`, page by page, with the rest of its key. For operators'
 * listings of the partners table (keys, senders): a scan, never on a request path.
 */
export async function scanByKeyPrefix(
  documents: DynamoDBDocumentClient,
  tableName: string,
  prefix: string,
): Promise<Array<{ key: string; item: Record<string, NativeAttributeValue> }>> {
  const found: Array<{ key: string; item: Record<string, NativeAttributeValue> }> = [];
  const pages = paginateScan(
    { client: documents },
    { TableName: tableName, FilterExpression: 'begins_with(pk, :prefix)', ExpressionAttributeValues: { ':prefix': prefix } },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) found.push({ key: String(item.pk).slice(prefix.length), item });
  }
  return found;
}
