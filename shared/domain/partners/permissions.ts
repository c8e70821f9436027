/** What an API key may do; each scoped route names the one permission it needs. */
export const PERMISSIONS = {
  signalsWrite: 'signals:write',
  statisticsRead: 'statistics:read',
  auditRead: 'audit:read',
  signalsTriage: 'signals:triage',
  privacyErase: 'privacy:erase',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];
