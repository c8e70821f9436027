/** One signal under one match key: enough to count and date it, nothing about the person. */
export interface LinkEntry {
  signalId: string;
  organisation: string;
  /** The day it was observed (YYYY-MM-DD): what "earlier" is measured by. */
  observedAt: string;
  /** When it was received (ISO 8601): orders signals observed on the same day. */
  receivedAt: string;
  /** When the entry expires, in seconds since the epoch; absent: until the signal is unlinked (erasure, retention). */
  expiresAt?: number;
}

/** A signal's own entry: the index keys it is under, so that it can be unlinked and its repeats found. */
export interface IndexedSignal {
  signalId: string;
  keys: string[];
  observedAt: string;
  receivedAt: string;
  expiresAt?: number;
}

/**
 * The link index: per match key the signals under it, and per signal the keys it is under. Every write
 * may be repeated and changes nothing the second time, so a redelivered message links once.
 */
export interface LinkIndex {
  /** Adds keys to the signal's own entry, making it if absent; the dates it holds stay as first written. */
  noteKeys(signal: IndexedSignal): Promise<void>;
  /** Puts the signal under a key, unless it is there already. */
  put(key: string, entry: LinkEntry): Promise<void>;
  indexed(signalId: string): Promise<IndexedSignal | undefined>;
  /** The entries under a key observed on or before `date`, earliest first: at most `limit`, with `more` when there are more. */
  observedThrough(key: string, date: string, limit: number): Promise<{ entries: LinkEntry[]; more: boolean }>;
  /** Takes the signal from under a key; nothing happens when it is not there. */
  remove(key: string, entry: Pick<LinkEntry, 'signalId' | 'observedAt'>): Promise<void>;
  /** Deletes the signal's own entry. */
  forget(signalId: string): Promise<void>;
}

export interface LinkingPorts {
  links: LinkIndex;
  now?: () => Date;
}
