import { describe, expect, it } from 'vitest';
import { stageConfig } from '../../../infra/aws/stage-config.js';

describe('stageConfig', () => {
  it('defaults to dev, and gives prod longer log retention, more capacity and stricter alarms', () => {
    const dev = stageConfig(undefined);
    const prod = stageConfig('prod');
    expect(dev.stage).toBe('dev');
    expect(prod.logRetention).toBeGreaterThan(dev.logRetention);
    expect(prod.throttle.rateLimit).toBeGreaterThan(dev.throttle.rateLimit);
    expect(prod.consumerMaxConcurrency).toBeGreaterThanOrEqual(2);
    expect(prod.iteratorAgeAlarmSeconds).toBeLessThan(dev.iteratorAgeAlarmSeconds);
    expect(prod.api5xxAlarmPercent).toBeLessThan(dev.api5xxAlarmPercent);
    expect(prod.logLevel).not.toBe('DEBUG');
  });

  it('refuses an unknown stage by name', () => {
    expect(() => stageConfig('staging')).toThrow(/Unknown stage "staging"/);
  });
});
