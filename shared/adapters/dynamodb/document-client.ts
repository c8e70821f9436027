import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TranslateConfig } from '@aws-sdk/lib-dynamodb';

/**
 * How every adapter turns JavaScript values into items, said once: the document client writes its
 * options onto the wrapped client's config, so two adapters on one client must not differ.
 * Optional fields left undefined are simply absent; empty strings and sets are stored as they are
 * (convertEmptyValues would make them NULL, which the record schemas refuse).
 */
const translateConfig: TranslateConfig = {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false, convertClassInstanceToMap: false },
  unmarshallOptions: { wrapNumbers: false },
};

export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, translateConfig);
}
