import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One logger for every handler. Log only ids, codes and counts: never an event body, a header value
 * or a validation input, since they may hold personal data.
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'meldroute' });
