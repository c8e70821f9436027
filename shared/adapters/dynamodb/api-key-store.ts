import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, type NativeAttributeValue, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { LookupCache } from '#adapters/cache/lookup-cache.js';
import type { ApiKeyStore, Principal } from '#domain/partners/index.js';
import { documentClient } from './document-client.js';
import { scanByKeyPrefix } from './prefix-scan.js';

/** Partner keys, stored only as hashes. Look-ups are cached briefly, as a warm Lambda would. */
export class DynamoDbApiKeyStore implements ApiKeyStore {
  private readonly documents: DynamoDBDocumentClient;
  private readonly cache: LookupCache<Principal>;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    /** How long a look-up is trusted: also how long a revoked key may still work. */
    cacheMs = 60_000,
  ) {
    this.documents = documentClient(client);
    this.cache = new LookupCache(cacheMs);
  }

  findByHash(keyHash: string): Promise<Principal | undefined> {
    return this.cache.get(keyHash, async () => {
      const { Item: item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: `key#${keyHash}` } }));
      return !item || item.revokedAt ? undefined : principalOf(item);
    });
  }

  async put(keyHash: string, principal: Principal): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { pk: `key#${keyHash}`, ...principal, createdAt: new Date().toISOString() } }));
  }

  async revoke(keyHash: string): Promise<void> {
    await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `key#${keyHash}` },
        UpdateExpression: 'SET revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':now': new Date().toISOString() },
      }),
    );
  }

  /** Every key's entry, for an operator: hash, principal and dates; never a key. */
  async list(): Promise<PartnerKeyEntry[]> {
    return (await scanByKeyPrefix(this.documents, this.tableName, 'key#')).map(({ key, item }) => ({
      keyHash: key,
      ...principalOf(item),
      createdAt: item.createdAt,
      ...(item.revokedAt && { revokedAt: item.revokedAt }),
    }));
  }
}

/** A key's principal as its entry stores it; the same for a look-up and for the operator's list. */
function principalOf(item: Record<string, NativeAttributeValue>): Principal {
  return {
    organisation: item.organisation,
    sourceType: item.sourceType,
    scopes: [...item.scopes],
    region: item.region,
    // Absent on keys made before the legal basis was recorded: they keep working, without one.
    ...(item.legalBasis && { legalBasis: item.legalBasis }),
    // A triage key's area; absent: the whole region.
    ...(item.province && { province: item.province }),
  };
}

export interface PartnerKeyEntry extends Principal {
  keyHash: string;
  createdAt?: string;
  revokedAt?: string;
}
