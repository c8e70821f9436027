import type { StoredSignal } from '#domain/signal/index.js';

/** A stored signal with every optional field left out: Gemeente Emmen, arbeid, 14 March 2023. */
export const minimalSignal = {
  schemaVersion: 1,
  signalId: '6f1c1d2e-7a4b-4c8e-9f00-000000000001',
  receivedAt: '2023-03-14T10:00:00.000Z',
  organisation: 'Gemeente Emmen',
  sourceType: 'gemeente',
  channel: 'api',
  region: 'noord-nederland',
  observedAt: '2023-03-14',
  municipality: 'GM0114',
  province: 'DR',
  form: 'arbeid',
  signalType: 'melding',
  status: 'ontvangen',
  version: 1,
} satisfies StoredSignal;

/** The minimal signal with the given fields changed. */
export const storedSignal = (extra: Partial<StoredSignal> = {}): StoredSignal => ({ ...minimalSignal, ...extra });

let next = 0;
/** A stored signal with an id of its own, for tests that count several. */
export const anotherSignal = (extra: Partial<StoredSignal> = {}): StoredSignal =>
  storedSignal({ signalId: `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`, ...extra });
