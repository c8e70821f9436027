import type { PseudonymisedSubject, StoredSignal } from './record.js';

export type MinorsInvolved = 'ja' | 'nee' | 'onbekend';

/**
 * Minors involved: by the person's age band where there is one (under 18: ja), else by the web form's
 * question (weet-niet: onbekend), else onbekend. The statistics count by it and the triage table shows it.
 */
export function minorsOf(signal: { subject?: Pick<PseudonymisedSubject, 'ageBand'> | undefined } & Pick<StoredSignal, 'minorsSuspected'>): MinorsInvolved {
  const band = signal.subject?.ageBand;
  if (band) return band === '0-11' || band === '12-17' ? 'ja' : 'nee';
  if (signal.minorsSuspected === 'ja' || signal.minorsSuspected === 'nee') return signal.minorsSuspected;
  return 'onbekend';
}
