export interface RateCounter {
  /** Adds one to the counter under `key` (kept until `expiresAt`, epoch seconds) and gives its new value. */
  increment(key: string, expiresAt: number): Promise<number>;
  /** The counter's value; 0 when there is none. */
  read(key: string): Promise<number>;
}
