import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it, vi } from 'vitest';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { MemoryCounters } from '../../support/in-memory-ports.js';
import { stubHandlerEnvironment } from '../handler-support.js';
import { minimalSignal } from './signal-items.js';

// The module wires a real client at load; it only names the table, nothing is called.
stubHandlerEnvironment({ STATISTICS_TABLE: 'statistics' });
const { recordHandlerFor, countedAtOnce, handlerFor } = await import('../../../functions/aggregator/handler.js');

const id = minimalSignal.signalId;
const region = 'counter#region#noord-nederland#2023';
const record = (image: object, eventName: DynamoDBRecord['eventName'] = 'MODIFY'): DynamoDBRecord => ({
  eventID: 'e1',
  eventName,
  dynamodb: { Keys: { signalId: { S: id } }, NewImage: image as never, SequenceNumber: '1' },
});
const item = (extra: object = {}) => marshall({ ...minimalSignal, ...extra });

describe("the aggregator's record handler", () => {
  it('counts a signal', async () => {
    const store = new MemoryCounters();
    await recordHandlerFor(store)(record(item()));
    expect(store.counts(region).total).toBe(1);
    expect(store.markers.size).toBe(0);
  });

  it('marks a signal it cannot count and fails the record, so that it is retried; the attempt that counts it removes the marker', async () => {
    const store = new MemoryCounters();
    const handle = recordHandlerFor(store);
    await expect(handle(record(item({ form: 'arbeidx' })))).rejects.toThrow();
    const [marker] = store.markers.get('noord-nederland')!.values();
    expect(marker).toEqual({ signalId: id, markedAt: expect.any(String), error: '$ZodError', year: 2023, province: 'DR', municipality: 'GM0114' });
    expect(JSON.stringify(marker)).not.toContain('arbeidx');

    await handle(record(item({ version: 2 })));
    expect(store.markers.get('noord-nederland')!.size).toBe(0);
    expect(store.counts(region).total).toBe(1);
  });

  it('marks one whose image does not even unmarshal, from the key and the attributes it can read', async () => {
    const store = new MemoryCounters();
    const image = { ...item(), signalId: { NULL: true }, subject: { M: { pseudonyms: {} } } };
    await expect(recordHandlerFor(store)(record(image))).rejects.toThrow();
    expect(store.markers.get('noord-nederland')!.has(id)).toBe(true);
  });

  it('lets a failing record pass when a newer version was counted meanwhile: counting it would change nothing', async () => {
    const store = new MemoryCounters();
    const handle = recordHandlerFor(store);
    await handle(record(item({ version: 3 })));
    await handle(record(item({ version: 2, form: 'arbeidx' })));
    expect(store.markers.size).toBe(0);
  });

  it('still fails the record with its own error when the marker cannot be written', async () => {
    const store = new MemoryCounters();
    vi.spyOn(store, 'markUncounted').mockRejectedValueOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }));
    await expect(recordHandlerFor(store)(record(item({ form: 'arbeidx' })))).rejects.toThrow(/invalid/i);
  });

  it('leaves the counts alone when a signal is removed', async () => {
    const store = new MemoryCounters();
    const handle = recordHandlerFor(store);
    await handle(record(item()));
    await handle({ eventID: 'e2', eventName: 'REMOVE', dynamodb: { Keys: { signalId: { S: id } } } });
    expect(store.counts(region).total).toBe(1);
  });
});

describe('the aggregator counting a batch at once', () => {
  const second = '6f1d3b0e-2f7c-4c55-9a39-0b7d4d1f2e31';
  const recordOf = (signalId: string, extra: object = {}, sequence = '1'): DynamoDBRecord => ({
    eventID: `e${sequence}`,
    eventName: 'INSERT',
    dynamodb: { Keys: { signalId: { S: signalId } }, NewImage: marshall({ ...minimalSignal, signalId, ...extra }) as never, SequenceNumber: sequence },
  });

  it('counts every record of a batch in one transaction when each reads as a signal', async () => {
    const store = new MemoryCounters();
    expect(await countedAtOnce([recordOf(id), recordOf(second, {}, '2')], store)).toBe(true);
    expect(store.applyAllCalls).toBe(1);
    expect(store.counts(region).total).toBe(2);
  });

  it('leaves a batch with a record that does not read to the record-by-record path, which marks that one and counts the rest', async () => {
    const store = new MemoryCounters();
    const batch = [recordOf(id), recordOf(second, { form: 'arbeidx' }, '2')];
    expect(await countedAtOnce(batch, store)).toBe(false);
    const response = await handlerFor(store)({ Records: batch }, lambdaContext('aggregator', 'eu-central-1'));
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(store.counts(region).total).toBe(1);
    expect(store.markers.get('noord-nederland')!.has(second)).toBe(true);
  });
});
