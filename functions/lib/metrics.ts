import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics, as CloudWatch embedded metric format (EMF) lines in the function's log. One namespace
 * and one service for every function, so that the dashboard adds up what several functions count.
 */
export const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Meldroute', serviceName: 'meldroute' });

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
  const single = metrics.singleMetric();
  single.addDimension(METRIC_DIMENSIONS[name], dimensionValue);
  single.addMetric(name, MetricUnit.Count, value);
}

/** A signal taken in by any channel, counted by channel and by source type. */
export function countAccepted(channel: string, sourceType: string): void {
  countMetric('SignalsAccepted', channel);
  countMetric('SignalsAcceptedBySourceType', sourceType);
}
