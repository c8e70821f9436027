import { type DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditedSignalWriter, AuditHead, SignalChange } from '#domain/casework/index.js';
import { appendActions, DynamoDbAuditLog } from './audit-log.js';
import { documentClient } from './document-client.js';
import { signalUpdate } from './signal-store.js';

/**
 * A triage change and its audit entry in one TransactWriteItems over the two tables: the signal's update
 * (conditional on its version, as DynamoDbSignalStore.update makes it), then the entry's Put and the head's
 * Update (as DynamoDbAuditLog.append makes them). All three hold or none does. The cancellation reasons
 * come in the order of the actions, so the first says whether the signal moved.
 */
export class DynamoDbAuditedSignalWriter implements AuditedSignalWriter {
  private readonly documents: DynamoDBDocumentClient;
  private readonly log: DynamoDbAuditLog;

  constructor(
    client: DynamoDBClient,
    private readonly signalsTable: string,
    private readonly auditTable: string,
  ) {
    this.documents = documentClient(client);
    this.log = new DynamoDbAuditLog(client, auditTable);
  }

  head(): Promise<AuditHead> {
    return this.log.head();
  }

  async write(change: SignalChange, entry: AuditEntry, previous: AuditHead): Promise<'written' | 'signal-moved' | 'log-moved'> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            { Update: signalUpdate(this.signalsTable, change.signalId, change.version, change.changes, change.remove) },
            ...appendActions(this.auditTable, entry, previous),
          ],
        }),
      );
      return 'written';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [signal, ...log] = (error.CancellationReasons ?? []).map((reason) => reason.Code);
      if (signal === 'ConditionalCheckFailed') return 'signal-moved';
      // Another writer's transaction on the same items (TransactionConflict) is a race like a moved head: try again.
      if ([signal, ...log].some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict')) return 'log-moved';
      throw error;
    }
  }
}
