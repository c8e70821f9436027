import { describe, expect, it } from 'vitest';
import { repeatInfo, unlink } from '#domain/linking/index.js';
import { Pipeline } from './signals.js';

const subject = { bsn: '111222333', phone: '0612345678' };

describe('unlink', () => {
  it('removes a signal from every key it is under, and its own entry; the others stay linked', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.file({ organisation: 'A', observedAt: '2024-01-05', subject });
    const second = await pipeline.file({ organisation: 'B', observedAt: '2024-02-05', subject });
    const third = await pipeline.file({ organisation: 'C', observedAt: '2024-03-05', subject });
    expect(pipeline.links.keysHolding(second.signalId)).toHaveLength(2);

    expect(await unlink(second.signalId, pipeline.ports)).toEqual({ keys: 2 });
    expect(pipeline.links.keysHolding(second.signalId)).toEqual([]);
    expect(await pipeline.links.indexed(second.signalId)).toBeUndefined();
    expect(await repeatInfo(second.signalId, pipeline.ports)).toBeUndefined();
    expect(await repeatInfo(third.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-01', complete: true });
    expect(pipeline.links.keysHolding(first.signalId)).toHaveLength(2);
  });

  it('removes the entries under previous keys too, and may be repeated', async () => {
    const pipeline = new Pipeline();
    pipeline.rotate({ keyId: 'test-2', secret: Buffer.alloc(32, 9) });
    const record = await pipeline.file({ subject });
    expect(pipeline.links.keysHolding(record.signalId)).toHaveLength(4);
    expect(await unlink(record.signalId, pipeline.ports)).toEqual({ keys: 4 });
    expect(pipeline.links.byKey.size).toBe(0);
    expect(await unlink(record.signalId, pipeline.ports)).toEqual({ keys: 0 });
  });
});
