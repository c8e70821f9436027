import { GetItemCommand, PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { ApiKeyStore, Principal } from '#domain/partners/index.js';
import { scanByKeyPrefix } from './prefix-scan.js';
import { LookupCache } from '#adapters/cache/lookup-cache.js';


/** Partner keys, stored only as hashes. Look-ups are cached briefly, as a warm Lambda would. */
export class DynamoDbApiKeyStore implements ApiKeyStore {
  private readonly cache: LookupCache<Principal>;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    /** How long a look-up is trusted: also how long a revoked key may still work. */
    cacheMs = 60_000,
  ) {
    this.cache = new LookupCache(cacheMs);
  }

  findByHash(keyHash: string): Promise<Principal | undefined> {
    return this.cache.get(keyHash, async () => {
      const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: `key#${keyHash}` }) }));
      const item = Item ? unmarshall(Item) : undefined;
      if (!item || item.revokedAt) return undefined;
      return { organisation: item.organisation, sourceType: item.sourceType, scopes: [...item.scopes], region: item.region };
    });
  }

  async put(keyHash: string, principal: Principal): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: marshall({ pk: `key#${keyHash}`, ...principal, createdAt: new Date().toISOString() }),
      }),
    );
  }

  async revoke(keyHash: string): Promise<void> {
    await this.client.send(
      new UpdateItemCommand({
        TableName: this.tableName,
        Key: marshall({ pk: `key#${keyHash}` }),
        UpdateExpression: 'SET revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: marshall({ ':now': new Date().toISOString() }),
      }),
    );
  }

  /** Every key's entry, for an operator: hash, principal and dates; never a key. */
  async list(): Promise<PartnerKeyEntry[]> {
    return (await scanByKeyPrefix(this.client, this.tableName, 'key#')).map(({ key, item }) => ({
      keyHash: key,
      organisation: item.organisation,
      sourceType: item.sourceType,
      scopes: [...item.scopes],
      region: item.region,
      createdAt: item.createdAt,
      ...(item.revokedAt && { revokedAt: item.revokedAt }),
    }));
  }
}

export interface PartnerKeyEntry extends Principal {
  keyHash: string;
  createdAt?: string;
  revokedAt?: string;
}
