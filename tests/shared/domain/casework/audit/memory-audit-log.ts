import { type AuditEntry, type AuditHead, type AuditLogReader, type AuditLogStore, EMPTY_HEAD } from '#domain/casework/index.js';

/**
 * The audit log in memory, with the store's contract: an append holds only while the head is still the one
 * it was chained onto and its sequence is free. `beforeAppend` runs between a writer's read of the head and
 * its write, so a test can let another append in there.
 */
export class MemoryAuditLog implements AuditLogStore, AuditLogReader {
  readonly entries: AuditEntry[] = [];
  private current: AuditHead = EMPTY_HEAD;
  attempts = 0;
  lost = 0;
  beforeAppend: (() => Promise<void>) | undefined;

  async head(): Promise<AuditHead> {
    return { ...this.current };
  }

  async append(entry: AuditEntry, previous: AuditHead): Promise<boolean> {
    this.attempts++;
    await this.beforeAppend?.();
    const moved = this.current.sequence !== previous.sequence || this.current.hash !== previous.hash;
    if (moved || this.entries.some((e) => e.sequence === entry.sequence)) {
      this.lost++;
      return false;
    }
    this.entries.push(entry);
    this.current = { sequence: entry.sequence, hash: entry.hash, at: entry.at };
    return true;
  }

  async entriesAfter(after: number, limit: number): Promise<AuditEntry[]> {
    return this.sorted()
      .filter((e) => e.sequence > after)
      .slice(0, limit);
  }

  async signalEntriesAfter(signalId: string, after: number, limit: number): Promise<AuditEntry[]> {
    return this.sorted()
      .filter((e) => e.signalId === signalId && e.sequence > after)
      .slice(0, limit);
  }

  async firstSequenceFrom(at: string): Promise<number | undefined> {
    return this.sorted().find((e) => e.at >= at)?.sequence;
  }

  private sorted(): AuditEntry[] {
    return [...this.entries].sort((a, b) => a.sequence - b.sequence);
  }
}
