/** Source types the figures always list, zeros included; others (such as unverified web reporters) appear when counted. */
export const SOURCE_TYPES = [
  'gemeente',
  'politie',
  'marechaussee',
  'arbeidsinspectie',
  'veilig-thuis',
  'zorg',
  'asielopvang',
  'openbaar-ministerie',
  'burger',
  'overig',
  'onbekend',
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
