/**
 * The values a signal is classified by, apart from the schemas that validate input, so that code which
 * only counts (aggregator, statistics) does not load the input validation and its phone-number data.
 */
export const EXPLOITATION_FORMS = ['seksueel', 'arbeid', 'crimineel', 'orgaanverwijdering', 'onbekend'] as const;
export const SIGNAL_TYPES = ['melding', 'adviesvraag', 'casus'] as const;
export const SECTORS = [
  'land-en-tuinbouw',
  'horeca',
  'bouw',
  'schoonmaak',
  'logistiek',
  'vleesverwerking',
  'huishouden',
  'prostitutie',
  'online',
  'overig',
] as const;
export const GENDERS = ['v', 'm', 'x', 'onbekend'] as const;
/**
 * Source types the figures always list, zeros included; others (such as unverified web reporters) appear
 * when counted. Whom a signal counts under ("from whom"): its key's, or the one a register states per signal.
 */
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
export const EARLIEST_DATE = '2000-01-01';
export const MAX_DESCRIPTION_LENGTH = 10_000;
