import { describe, expect, it } from 'vitest';
import { LINK_READ_LIMIT, repeatInfo } from '#domain/linking/index.js';
import { Pipeline } from './signals.js';

const subject = { bsn: '111222333' };

describe('repeatInfo', () => {
  it('counts only signals observed before this one, and distinct organisations', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-03-05', subject });
    await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-05-20', subject });
    const third = await pipeline.file({ organisation: 'Politie', observedAt: '2024-07-01', subject });
    // Filed last, observed before the second and third.
    const late = await pipeline.file({ organisation: 'Arbeidsinspectie', observedAt: '2024-04-11', subject });
    const later = await pipeline.file({ organisation: 'Zorg', observedAt: '2024-09-30', subject });

    expect(await repeatInfo(third.signalId, pipeline.ports)).toEqual({ earlierSignals: 3, organisations: 2, since: '2024-03', complete: true });
    expect(await repeatInfo(late.signalId, pipeline.ports)).toEqual({ earlierSignals: 1, organisations: 1, since: '2024-03', complete: true });
    expect(await repeatInfo(later.signalId, pipeline.ports)).toEqual({ earlierSignals: 4, organisations: 3, since: '2024-03', complete: true });
  });

  it('orders signals observed on the same day by receipt', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.file({ organisation: 'A', observedAt: '2024-03-05', subject });
    const second = await pipeline.file({ organisation: 'B', observedAt: '2024-03-05', subject });
    expect(await repeatInfo(first.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 0 });
    expect(await repeatInfo(second.signalId, pipeline.ports)).toMatchObject({ earlierSignals: 1, since: '2024-03' });
  });

  it('tells counts and a month only: no id, pseudonym or organisation of another signal', async () => {
    const pipeline = new Pipeline();
    const first = await pipeline.file({ organisation: 'Gemeente Emmen', observedAt: '2024-03-05', subject });
    const second = await pipeline.file({ organisation: 'Politie', observedAt: '2024-06-01', subject });
    const info = await repeatInfo(second.signalId, pipeline.ports);
    expect(Object.keys(info!).sort()).toEqual(['complete', 'earlierSignals', 'organisations', 'since']);
    const text = JSON.stringify(info);
    for (const hidden of [first.signalId, first.subject!.pseudonyms.bsn!, 'Gemeente Emmen', '2024-03-05']) expect(text).not.toContain(hidden);
  });

  it('leaves out an entry whose signal has expired, before the table removes it', async () => {
    const pipeline = new Pipeline();
    await pipeline.file({ observedAt: '2024-03-05', subject });
    const second = await pipeline.file({ observedAt: '2024-06-01', subject });
    const expiry = (await pipeline.links.indexed(second.signalId))!.expiresAt!;
    const ports = { links: pipeline.links, now: () => new Date((expiry - 30) * 1000) };
    expect(await repeatInfo(second.signalId, ports)).toMatchObject({ earlierSignals: 0 });
  });

  it('is undefined for a signal not in the index', async () => {
    expect(await repeatInfo('00000000-0000-4000-8000-000000000000', new Pipeline().ports)).toBeUndefined();
  });

  it(`reads at most ${LINK_READ_LIMIT} entries under a key, the earliest, and says the counts are a lower bound`, async () => {
    const pipeline = new Pipeline();
    const phone = '0612345678';
    for (let i = 0; i < LINK_READ_LIMIT + 5; i++) {
      const day = new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
      await pipeline.file({ organisation: `Organisatie ${i % 7}`, observedAt: day, subject: { phone } });
    }
    const last = await pipeline.file({ organisation: 'Politie', observedAt: '2025-06-01', subject: { phone } });
    expect(await repeatInfo(last.signalId, pipeline.ports)).toEqual({ earlierSignals: LINK_READ_LIMIT, organisations: 7, since: '2020-01', complete: false });
  });
});
