import type { AttributeValue } from '@aws-sdk/client-dynamodb-streams';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { signalOf } from '../../../functions/aggregator/stream-image.js';
import { toStreamEvent, withEmptyMapsTyped } from '../../../infra/local/stream-poller.js';
import { emptyOptionals, minimalSignal } from '../../functions/aggregator/signal-items.js';

// What DynamoDB Local 3.x sends for an item with an empty map: the map's type left out.
const localImage = {
  signalId: { S: 's1' },
  subject: { M: { keyId: { S: 'k' }, pseudonyms: {} } },
  additionalForms: { L: [{ M: { nested: {} } }] },
} as unknown as Record<string, AttributeValue>;

describe('withEmptyMapsTyped', () => {
  it('gives an untyped empty value back its map type, at any depth, and leaves the rest alone', () => {
    expect(withEmptyMapsTyped(localImage)).toEqual({
      signalId: { S: 's1' },
      subject: { M: { keyId: { S: 'k' }, pseudonyms: { M: {} } } },
      additionalForms: { L: [{ M: { nested: { M: {} } } }] },
    });
    expect(withEmptyMapsTyped(undefined)).toBeUndefined();
  });

  it('makes a signal whose subject has no pseudonyms readable by the aggregator', () => {
    expect(() => unmarshall(localImage as never)).toThrow();
    const event = toStreamEvent([{ eventID: '1', eventName: 'INSERT', dynamodb: { NewImage: localImage, SequenceNumber: '1' } }], 'arn', 'eu-west-1');
    expect(unmarshall(event.Records[0]!.dynamodb!.NewImage as never)).toEqual({
      signalId: 's1',
      subject: { keyId: 'k', pseudonyms: {} },
      additionalForms: [{ nested: {} }],
    });
  });
});

/** An item as DynamoDB Local 3.x puts it in a stream image: every empty map left untyped. */
function localImageOf(item: object): Record<string, AttributeValue> {
  const untyped = (value: AttributeValue): AttributeValue => {
    if (value.M) return Object.keys(value.M).length === 0 ? ({} as AttributeValue) : { M: local(value.M) };
    if (value.L) return { L: value.L.map(untyped) };
    return value;
  };
  const local = (image: Record<string, AttributeValue>) => Object.fromEntries(Object.entries(image).map(([k, v]) => [k, untyped(v)]));
  return local(marshall(item, { removeUndefinedValues: true }) as Record<string, AttributeValue>);
}

describe("the aggregator's parse of what the local stream poller hands over", () => {
  const handedOver = (item: object) =>
    toStreamEvent([{ eventID: '1', eventName: 'INSERT', dynamodb: { NewImage: localImageOf(item), SequenceNumber: '1' } }], 'arn', 'eu-west-1').Records[0]!
      .dynamodb!.NewImage;

  it('reads a signal with every optional field left out', () => {
    expect(signalOf(handedOver(minimalSignal) as never)).toEqual(minimalSignal);
  });

  it.each(Object.entries(emptyOptionals))('reads a signal whose %s is empty', (name, value) => {
    expect(signalOf(handedOver({ ...minimalSignal, [name]: value }) as never)).toEqual({ ...minimalSignal, [name]: value });
  });

  it('reads a signal with all of them empty at once', () => {
    const item = { ...minimalSignal, ...emptyOptionals };
    expect(JSON.stringify(localImageOf(item).subject)).toContain('"pseudonyms":{}');
    expect(signalOf(handedOver(item) as never)).toEqual(item);
  });
});
