export { minimalSignal } from '../../support/stored-signal.js';
/** Each optional map or list that may be stored empty: a subject or reporter without identifiers, no further forms. */
export const emptyOptionals = {
  subject: { keyId: 'k-1', pseudonyms: {} },
  reporter: { keyId: 'k-1', pseudonyms: {} },
  additionalForms: [],
} as const;
