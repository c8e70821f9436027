import { setTimeout as delay, setImmediate as yieldToEvents } from 'node:timers/promises';

/** One round of polling; true when it found work, so the next round follows at once. */
export type PollRound = () => Promise<boolean>;

export interface PollerOptions {
  /** Says in the log what failed, e.g. "polling signal-queue's queue". */
  describe: string;
  log: (line: string) => void;
  /** How long to wait after a round that found nothing. */
  idleMs?: number;
  /** The wait after a failed round, doubling with each failure in a row up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
  /** How many rounds run side by side, as Lambda runs several pollers for one queue. */
  concurrency?: number;
}

/**
 * The loop under the local event source mappings: runs rounds until stopped, waits when there was
 * nothing, backs off while rounds fail. A failed round is logged, never thrown: like Lambda's pollers,
 * it keeps going until the emulator answers again.
 */
export class Poller {
  private running = false;
  private pausing = false;
  private inFlight = 0;
  private loops: Promise<void>[] = [];
  private stopping = new AbortController();

  constructor(
    private readonly round: PollRound,
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.stopping = new AbortController();
    this.loops = Array.from({ length: this.options.concurrency ?? 1 }, () => this.loop());
  }

  /** Resolves once the rounds in flight are done; a wait between rounds is cut short. */
  async stop(): Promise<void> {
    this.running = false;
    this.stopping.abort();
    await Promise.all(this.loops);
  }

  /** Resolves once no round is in flight; no round starts until resume(). */
  async pause(): Promise<void> {
    this.pausing = true;
    while (this.inFlight > 0) await delay(20);
  }

  resume(): void {
    this.pausing = false;
  }

  get paused(): boolean {
    return this.pausing;
  }

  private async loop(): Promise<void> {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 5_000 };
    let failures = 0;
    while (this.running) {
      if (this.pausing) {
        await this.wait(50);
        continue;
      }
      let pause: number;
      this.inFlight++;
      try {
        pause = (await this.round()) ? 0 : (this.options.idleMs ?? 0);
        failures = 0;
      } catch (error) {
        if (!this.running) break;
        pause = Math.min(maxMs, initialMs * 2 ** failures++);
        this.options.log(`${this.options.describe} failed: ${error instanceof Error ? error.message : String(error)}; trying again in ${pause} ms`);
      } finally {
        this.inFlight--;
      }
      await this.wait(pause);
    }
  }

  /** Even no wait yields to the event loop, so rounds that find nothing at once cannot starve it. */
  private async wait(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return void (await yieldToEvents());
    await delay(ms, undefined, { signal: this.stopping.signal }).catch(() => {});
  }
}
