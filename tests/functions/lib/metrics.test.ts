import { afterEach, describe, expect, it, vi } from 'vitest';

const freshMetrics = async (disabled: string) => {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', disabled);
  vi.resetModules();
  return import('../../../functions/lib/metrics.js');
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('countAccepted', () => {
  it('makes no metric object at all when metrics are off, as the local runner has them', async () => {
    const { countAccepted, metrics } = await freshMetrics('true');
    const single = vi.spyOn(metrics, 'singleMetric');
    countAccepted('api', 'politie');
    expect(single).not.toHaveBeenCalled();
  });

  it('counts by channel and by source type when metrics are on', async () => {
    const { countAccepted, metrics } = await freshMetrics('false');
    const single = vi.spyOn(metrics, 'singleMetric');
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    countAccepted('api', 'politie');
    expect(single).toHaveBeenCalledTimes(2);
  });
});
