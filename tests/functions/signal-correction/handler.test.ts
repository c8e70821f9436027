import { describe, expect, it } from 'vitest';
import type { SignalStore, StoredSignal } from '#domain/signal/index.js';
import { lambdaContext } from '../../../infra/local/lambda-context.js';
import { storedSignal } from '../../support/stored-signal.js';
import { apiEvent, stubHandlerEnvironment } from '../handler-support.js';

// The module wires a real client at load; it only names the table, nothing is called.
stubHandlerEnvironment({ SIGNALS_TABLE: 'signals' });
const { signalCorrectionHandler } = await import('../../../functions/signal-correction/handler.js');

type Answer = { statusCode: number; headers: Record<string, string>; body?: string };

const partner = { verdict: 'allow', organisation: 'Gemeente Emmen', sourceType: 'gemeente', region: 'noord-nederland', scopes: 'signals:write' };

class MemorySignals implements SignalStore {
  constructor(public signal: StoredSignal) {}
  async putIfAbsent() {
    return 'stored' as const;
  }
  async get(id: string) {
    return id === this.signal.signalId ? this.signal : undefined;
  }
  async update(_id: string, version: number, changes: Partial<StoredSignal>) {
    if (version !== this.signal.version) return false;
    this.signal = { ...this.signal, ...changes, version: version + 1 };
    return true;
  }
}

const patch = async (store: MemorySignals, body: object) =>
  (await signalCorrectionHandler(store, () => new Date('2025-02-03T04:05:06.000Z'))(
    apiEvent({
      method: 'PATCH',
      path: `/v1/signals/${store.signal.signalId}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      pathParameters: { signalId: store.signal.signalId },
      verdict: partner,
    }),
    lambdaContext('signal-correction', 'eu-central-1'),
  )) as Answer;

describe('PATCH /v1/signals/{signalId}', () => {
  it('answers 409 problem+json naming the status when the partner withdraws or reopens a decided signal, and writes nothing', async () => {
    const store = new MemorySignals(storedSignal({ status: 'besproken', routes: ['riec'] }));
    for (const status of ['ingetrokken', 'ontvangen']) {
      const refused = await patch(store, { status });
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(JSON.parse(refused.body!)).toMatchObject({
        status: 409,
        type: expect.stringMatching(/invalid-transition$/),
        title: 'Statuswijziging niet toegestaan',
        detail: expect.stringMatching(new RegExp(`^De melding heeft status besproken; .*ook niet naar ${status}\\.`)),
        errors: [{ pointer: '/status', detail: 'Van besproken kunt u de status niet wijzigen.' }],
      });
    }
    expect(store.signal).toMatchObject({ status: 'besproken', routes: ['riec'], version: 1 });
  });

  it('names the allowed statuses for an undecided signal, and withdraws one that may be withdrawn with 200 and changedAt set', async () => {
    const store = new MemorySignals(storedSignal({ status: 'te-verrijken' }));
    expect(JSON.parse((await patch(store, { status: 'ontvangen' })).body!).detail).toBe(
      'De melding heeft status te-verrijken; van daaruit kan de status naar ingetrokken, niet naar ontvangen.',
    );
    const withdrawn = await patch(store, { status: 'ingetrokken' });
    expect(withdrawn.statusCode).toBe(200);
    expect(JSON.parse(withdrawn.body!)).toMatchObject({ status: 'ingetrokken', version: 2 });
    expect(store.signal.changedAt).toBe('2025-02-03T04:05:06.000Z');
  });

  it('answers a sourceType from a key without signals:source 422 problem+json pointing at /sourceType, and writes nothing', async () => {
    const store = new MemorySignals(storedSignal({}));
    const refused = await patch(store, { sourceType: 'politie' });
    expect(refused.statusCode).toBe(422);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused.body!).errors).toEqual([{ pointer: '/sourceType', detail: expect.stringContaining('signals:source') }]);
    expect(store.signal.version).toBe(1);
  });
});
