/** A stored signal with every optional field left out. */
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
};

/** Each optional map or list that may be stored empty: a subject or reporter without identifiers, no further forms. */
export const emptyOptionals = {
  subject: { keyId: 'k-1', pseudonyms: {} },
  reporter: { keyId: 'k-1', pseudonyms: {} },
  additionalForms: [],
} as const;
