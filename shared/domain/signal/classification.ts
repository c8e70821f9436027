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
export const EARLIEST_DATE = '2000-01-01';
export const MAX_DESCRIPTION_LENGTH = 10_000;
