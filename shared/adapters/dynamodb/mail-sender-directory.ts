import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { MailSender, MailSenderDirectory } from '#domain/partners/index.js';
import { scanByKeyPrefix } from './prefix-scan.js';
import { LookupCache } from '#adapters/cache/lookup-cache.js';

const PREFIX = 'sender#';

export interface MailSenderEntry extends MailSender {
  entryKey: string;
  createdAt?: string;
}

/** Mail senders in the partners table, beside the API keys. Look-ups are cached briefly, as for keys. */
export class DynamoDbMailSenderDirectory implements MailSenderDirectory {
  private readonly cache: LookupCache<MailSender>;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    cacheMs = 60_000,
  ) {
    this.cache = new LookupCache(cacheMs);
  }

  get(entryKey: string): Promise<MailSender | undefined> {
    return this.cache.get(entryKey, async () => {
      const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: marshall({ pk: PREFIX + entryKey }) }));
      return Item ? senderOf(unmarshall(Item)) : undefined;
    });
  }

  async put(entryKey: string, sender: MailSender): Promise<void> {
    await this.client.send(
      new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk: PREFIX + entryKey, ...sender, createdAt: new Date().toISOString() }, { removeUndefinedValues: true }) }),
    );
  }

  /** Removes an entry; false when there was none. */
  async remove(entryKey: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteItemCommand({ TableName: this.tableName, Key: marshall({ pk: PREFIX + entryKey }), ReturnValues: 'ALL_OLD' }),
    );
    return Attributes !== undefined;
  }

  async list(): Promise<MailSenderEntry[]> {
    return (await scanByKeyPrefix(this.client, this.tableName, PREFIX)).map(({ key, item }) => ({
      entryKey: key,
      ...senderOf(item),
      ...(item.createdAt && { createdAt: item.createdAt }),
    }));
  }
}

function senderOf(item: Record<string, unknown>): MailSender {
  const sender: MailSender = { organisation: String(item.organisation), sourceType: String(item.sourceType), region: String(item.region) };
  if (typeof item.province === 'string') sender.province = item.province;
  return sender;
}
