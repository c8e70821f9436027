import { describe, expect, it } from 'vitest';
import { consumeRate } from '#domain/intake/web/index.js';
import { MemoryRateCounter } from '../../../../support/in-memory-ports.js';

const limits = { perMinute: 5, perDay: 30 };
const at = (time: string) => new Date(`2026-11-23T${time}Z`);

describe('consumeRate', () => {
  it('allows five in a minute and refuses the sixth, saying when the estimate is back under the limit', async () => {
    const counter = new MemoryRateCounter();
    for (let i = 0; i < 5; i++) expect(await consumeRate('s', limits, counter, at('10:00:30'))).toEqual({ allowed: true });
    expect(await consumeRate('s', limits, counter, at('10:00:30'))).toEqual({ allowed: false, window: 'minute', retryAfterSeconds: 40 });
  });

  it('slides: five at the end of one minute and a sixth at the start of the next are six within a minute', async () => {
    const counter = new MemoryRateCounter();
    for (let i = 0; i < 5; i++) await consumeRate('s', limits, counter, at('10:00:58'));
    expect(await consumeRate('s', limits, counter, at('10:01:01'))).toMatchObject({ allowed: false, window: 'minute' });
  });

  it('lets the previous minute weigh less as the window moves on', async () => {
    const counter = new MemoryRateCounter();
    for (let i = 0; i < 5; i++) await consumeRate('s', limits, counter, at('10:00:10'));
    expect(await consumeRate('s', limits, counter, at('10:01:30'))).toEqual({ allowed: true });
  });

  it('counts each subject apart, and a day as well as a minute', async () => {
    const counter = new MemoryRateCounter();
    const daily = { perMinute: 100, perDay: 3 };
    for (let i = 0; i < 3; i++) await consumeRate('a', daily, counter, at(`10:0${i}:00`));
    expect(await consumeRate('a', daily, counter, at('11:00:00'))).toMatchObject({ allowed: false, window: 'day' });
    expect(await consumeRate('b', daily, counter, at('11:00:00'))).toEqual({ allowed: true });
  });
});
