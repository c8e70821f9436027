import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { LookupCache } from '#adapters/cache/lookup-cache.js';
import type { MailSender, MailSenderDirectory } from '#domain/partners/index.js';
import { documentClient } from './document-client.js';
import { scanByKeyPrefix } from './prefix-scan.js';

const PREFIX = 'sender#';

export interface MailSenderEntry extends MailSender {
  entryKey: string;
  createdAt?: string;
}

/** Mail senders in the partners table, beside the API keys. Look-ups are cached briefly, as for keys. */
export class DynamoDbMailSenderDirectory implements MailSenderDirectory {
  private readonly documents: DynamoDBDocumentClient;
  private readonly cache: LookupCache<MailSender>;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    cacheMs = 60_000,
  ) {
    this.documents = documentClient(client);
    this.cache = new LookupCache(cacheMs);
  }

  get(entryKey: string): Promise<MailSender | undefined> {
    return this.cache.get(entryKey, async () => {
      const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: PREFIX + entryKey } }));
      return Item ? senderOf(Item) : undefined;
    });
  }

  async put(entryKey: string, sender: MailSender): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { pk: PREFIX + entryKey, ...sender, createdAt: new Date().toISOString() } }));
  }

  /** Removes an entry; false when there was none. */
  async remove(entryKey: string): Promise<boolean> {
    const { Attributes } = await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: PREFIX + entryKey }, ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }

  async list(): Promise<MailSenderEntry[]> {
    return (await scanByKeyPrefix(this.documents, this.tableName, PREFIX)).map(({ key, item }) => ({
      entryKey: key,
      ...senderOf(item),
      ...(item.createdAt && { createdAt: item.createdAt }),
    }));
  }
}

function senderOf(item: Record<string, unknown>): MailSender {
  const sender: MailSender = { organisation: String(item.organisation), sourceType: String(item.sourceType), region: String(item.region) };
  if (typeof item.province === 'string') sender.province = item.province;
  if (typeof item.legalBasis === 'string') sender.legalBasis = item.legalBasis as MailSender['legalBasis'];
  return sender;
}
