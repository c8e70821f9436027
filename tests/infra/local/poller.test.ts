import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Poller, type PollerOptions, type PollRound } from '../../../infra/local/poller.js';

let poller: Poller | undefined;
afterEach(() => poller?.stop());

function startPoller(round: PollRound, options: Partial<PollerOptions> = {}): { poller: Poller; logs: string[] } {
  const logs: string[] = [];
  poller = new Poller(round, { describe: 'polling the queue', log: (line) => logs.push(line), ...options });
  poller.start();
  return { poller, logs };
}

/** A promise with its resolve at hand, to hold a round in flight. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

async function until(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await delay(5);
  }
}

describe('Poller', () => {
  it('stops only once the round in flight is done, and starts no other', async () => {
    const held = gate();
    let rounds = 0;
    let finished = false;
    const { poller } = startPoller(async () => {
      rounds++;
      await held.promise;
      finished = true;
      return true;
    });
    await until(() => rounds === 1);
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await delay(30);
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(finished).toBe(true);
    expect(rounds).toBe(1);
  });

  it('backs off longer with each failure in a row, up to the cap, and starts over after a good round', async () => {
    const outcomes = ['fail', 'fail', 'fail', 'fail', 'ok', 'fail'];
    const { poller, logs } = startPoller(
      async () => {
        const outcome = outcomes.shift();
        if (outcome === 'fail') throw new Error('emulator gone');
        return outcome === 'ok';
      },
      { backoff: { initialMs: 5, maxMs: 20 }, idleMs: 1_000 },
    );
    await until(() => logs.length === 5);
    await poller.stop();
    expect(logs).toEqual([
      'polling the queue failed: emulator gone; trying again in 5 ms',
      'polling the queue failed: emulator gone; trying again in 10 ms',
      'polling the queue failed: emulator gone; trying again in 20 ms',
      'polling the queue failed: emulator gone; trying again in 20 ms',
      'polling the queue failed: emulator gone; trying again in 5 ms',
    ]);
  });

  it('never lets an error escape, whatever is thrown, and keeps polling', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      let rounds = 0;
      const { poller, logs } = startPoller(
        () => {
          rounds++;
          if (rounds === 1) throw new Error('thrown at once');
          if (rounds === 2) return Promise.reject('not even an Error');
          return Promise.resolve(true);
        },
        { backoff: { initialMs: 1, maxMs: 1 } },
      );
      await until(() => rounds >= 4);
      await expect(poller.stop()).resolves.toBeUndefined();
      expect(logs).toEqual([
        'polling the queue failed: thrown at once; trying again in 1 ms',
        'polling the queue failed: not even an Error; trying again in 1 ms',
      ]);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('waits after a round that found nothing, and a stop cuts that wait short', async () => {
    let rounds = 0;
    const { poller } = startPoller(
      async () => {
        rounds++;
        return false;
      },
      { idleMs: 60_000 },
    );
    await delay(50);
    expect(rounds).toBe(1);
    const before = Date.now();
    await poller.stop();
    expect(Date.now() - before).toBeLessThan(1_000);
  });

  it('goes straight on after a round that found work', async () => {
    let rounds = 0;
    const { poller } = startPoller(
      async () => {
        rounds++;
        return true;
      },
      { idleMs: 60_000 },
    );
    await until(() => rounds >= 20);
    await poller.stop();
  });

  it('runs as many rounds side by side as asked', async () => {
    const held = gate();
    let inFlight = 0;
    const { poller } = startPoller(
      async () => {
        inFlight++;
        await held.promise;
        return false;
      },
      { concurrency: 3, idleMs: 60_000 },
    );
    await until(() => inFlight === 3);
    held.open();
    await poller.stop();
  });

  it('pauses once the round in flight is done, and starts none until resumed', async () => {
    const held = gate();
    let rounds = 0;
    const { poller } = startPoller(async () => {
      rounds++;
      await held.promise;
      return true;
    });
    await until(() => rounds === 1);
    let paused = false;
    const pausing = poller.pause().then(() => (paused = true));
    await delay(30);
    expect(paused).toBe(false);
    held.open();
    await pausing;
    const roundsAtPause = rounds;
    await delay(120);
    expect(rounds).toBe(roundsAtPause);
    poller.resume();
    await until(() => rounds > roundsAtPause);
  });
});
