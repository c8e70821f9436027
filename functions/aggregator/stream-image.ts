import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { StoredSignal } from '#domain/signal/index.js';
import { StoredSignalSchema } from '#domain/statistics/index.js';

/** A stream record's new image of the signals table. */
export type SignalImage = Record<string, AttributeValue>;

/** The stored signal in a new image; throws when it is not one the aggregator can count. */
export function signalOf(image: SignalImage): StoredSignal {
  return StoredSignalSchema.parse(unmarshall(image));
}

/**
 * What a marker of an uncounted signal may use, read attribute by attribute: they come even when the
 * image as a whole neither unmarshals nor parses. Only plain strings and the version number are taken.
 */
export function readableFields(image: SignalImage): Record<string, unknown> {
  const version = image.version?.N;
  return {
    observedAt: image.observedAt?.S,
    region: image.region?.S,
    province: image.province?.S,
    municipality: image.municipality?.S,
    version: version === undefined ? undefined : Number(version),
  };
}
