import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { readableFields, type SignalImage, signalOf } from '../../../functions/aggregator/stream-image.js';
import { emptyOptionals, minimalSignal } from './signal-items.js';

/** The new image as DynamoDB Streams sends it: an empty map typed `{"M":{}}`, an empty list `{"L":[]}`. */
const awsImage = (item: object) => marshall(item, { removeUndefinedValues: true, convertEmptyValues: false }) as SignalImage;

describe("signalOf, the aggregator's parse of a stream image from DynamoDB", () => {
  it('reads a signal with every optional field left out', () => {
    expect(signalOf(awsImage(minimalSignal))).toEqual(minimalSignal);
  });

  it.each(Object.entries(emptyOptionals))('reads a signal whose %s is empty', (name, value) => {
    const image = awsImage({ ...minimalSignal, [name]: value });
    expect(JSON.stringify(image[name])).toMatch(/\{"M":\{\}\}|\{"L":\[\]\}/);
    expect(signalOf(image)).toEqual({ ...minimalSignal, [name]: value });
  });

  it('reads a signal with all of them empty at once, and a stored retention time', () => {
    expect(signalOf(awsImage({ ...minimalSignal, ...emptyOptionals, expiresAt: 1_900_000_000 }))).toMatchObject({ version: 1, expiresAt: 1_900_000_000 });
  });

  it('refuses what it cannot count', () => {
    expect(() => signalOf(awsImage({ ...minimalSignal, form: 'arbeidx' }))).toThrow();
    expect(() => signalOf(awsImage({ ...minimalSignal, version: 0 }))).toThrow();
  });
});

describe('readableFields', () => {
  it('takes plain strings and the version attribute by attribute, even from an image that does not unmarshal', () => {
    const broken = { ...awsImage(minimalSignal), subject: { M: { keyId: { S: 'k' }, pseudonyms: {} } } } as unknown as SignalImage;
    expect(() => signalOf(broken)).toThrow();
    expect(readableFields(broken)).toEqual({ observedAt: '2023-03-14', region: 'noord-nederland', province: 'DR', municipality: 'GM0114', version: 1 });
  });

  it('leaves out what is not a plain string', () => {
    const image = { region: { M: {} }, province: { N: '3' }, version: { S: '2' } } as unknown as SignalImage;
    expect(readableFields(image)).toEqual({ observedAt: undefined, region: undefined, province: undefined, municipality: undefined, version: undefined });
  });
});
