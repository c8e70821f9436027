import { geography } from '#domain/kernel/index.js';
import { makeReleaseIfDue, type ReleaseOutcome, type ReleasePorts, releaseIntervalMs } from '#domain/statistics/index.js';
import { releaseStore } from '../lib/dependencies.js';
import { logger } from '../lib/logger.js';
import { eventHandler } from '../lib/middleware.js';

/**
 * Makes each region's public release when one is due. Invoked by a schedule (EventBridge every 15 minutes
 * on AWS, a timer in the local runner); the event itself says nothing it needs. A region that fails does
 * not keep the others from their release; the run fails afterwards, so that the failure is seen.
 */
export function releaseHandlerFor(ports: ReleasePorts, regions: readonly string[] = geography.regionCodes(), now: () => Date = () => new Date()) {
  return async (): Promise<Record<string, ReleaseOutcome['outcome'] | 'failed'>> => {
    const outcomes: Record<string, ReleaseOutcome['outcome'] | 'failed'> = {};
    for (const region of regions) {
      try {
        const result = await makeReleaseIfDue(region, now(), ports);
        outcomes[region] = result.outcome;
        if (result.outcome === 'released')
          logger.info('public release made', { region, releasedAt: result.release.releasedAt, nextPossibleAt: result.release.nextPossibleAt });
        else logger.debug('no public release', { region, ...result });
      } catch (error) {
        outcomes[region] = 'failed';
        logger.error('public release failed', { region, errorName: (error as Error)?.name, errorMessage: (error as Error)?.message });
      }
    }
    if (Object.values(outcomes).includes('failed'))
      throw new Error(
        `public release failed for ${Object.keys(outcomes)
          .filter((r) => outcomes[r] === 'failed')
          .join(', ')}`,
      );
    return outcomes;
  };
}

export const handler = eventHandler(releaseHandlerFor({ store: releaseStore(), intervalMs: releaseIntervalMs(process.env.PUBLIC_RELEASE_INTERVAL) }));
