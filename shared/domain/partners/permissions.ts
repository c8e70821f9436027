/**
 * What an API key may do; each scoped route names the one permission it needs. `signals:source` is no
 * route's: beside `signals:write` it lets a key state each signal's source type, as a regional register
 * does for the signals it collected from police, municipalities and care.
 */
export const PERMISSIONS = {
  signalsWrite: 'signals:write',
  signalsSource: 'signals:source',
  statisticsRead: 'statistics:read',
  auditRead: 'audit:read',
  signalsTriage: 'signals:triage',
  privacyErase: 'privacy:erase',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];
