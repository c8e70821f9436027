import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics, as CloudWatch embedded metric format (EMF) lines in the function's log. One namespace
 * and one service for every function, so that the dashboard adds up what several functions count.
 */
class SwitchableMetrics extends Metrics {
  /** Off as Powertools decides it (POWERTOOLS_METRICS_DISABLED, else POWERTOOLS_DEV), as the local runner has them. */
  get off(): boolean {
    return this.isDisabled();
  }
}

export const metrics = new SwitchableMetrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Meldroute', serviceName: 'meldroute' });

/** The metrics Meldroute emits, each with the one dimension it is broken down by. */
export const METRIC_DIMENSIONS = {
  SignalsAccepted: 'channel',
  SignalsAcceptedBySourceType: 'sourceType',
  RequestsRefused: 'reason',
  MailRefused: 'reason',
  AggregationOutcomes: 'outcome',
  WebPostsRateLimited: 'window',
} as const;
export type MetricName = keyof typeof METRIC_DIMENSIONS;

/** Counts one event now: a metric of its own (not batched with others), so each keeps its own dimension. */
export function countMetric(name: MetricName, dimensionValue: string, value = 1): void {
  // Off: nothing would be written, so no metric object is made either (each costs reading the environment).
  if (metrics.off) return;
  const single = metrics.singleMetric();
  single.addDimension(METRIC_DIMENSIONS[name], dimensionValue);
  single.addMetric(name, MetricUnit.Count, value);
}

/** Signals taken in by any channel (one, or a batch's new ones), counted by channel and by source type. */
export function countAccepted(channel: string, sourceType: string, count = 1): void {
  countMetric('SignalsAccepted', channel, count);
  countMetric('SignalsAcceptedBySourceType', sourceType, count);
}
