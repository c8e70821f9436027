/**
 * The countries whose numbering plans the intake carries (ISO 3166-1 alpha-2), and so validates and
 * writes canonically exactly as libphonenumber does with its full data. Every other country's number,
 * written internationally, is taken by its calling code without a plan (see phone.ts): carrying all 245
 * plans would double the intake's bundle for numbers that seldom come.
 *
 * Chosen for who the signals are about. The source documents name groups, not countries: labour
 * migrants (in the north mostly from the EU's east), people in the asylum chain (AZC, unaccompanied
 * minors), foreign victims "mostly from outside the EU" and victims from EU countries. So: the Kingdom,
 * the neighbours, the EU and EEA, and the main countries of origin of victims seen in the Netherlands.
 * A country sharing a calling code with one listed (GB with GG, IM and JE) comes along with it: the plan
 * of a calling code is judged whole.
 */
export const PHONE_COUNTRIES = [
  // The Kingdom, the neighbours across land and sea.
  ...['NL', 'AW', 'CW', 'BE', 'DE', 'LU', 'FR', 'GB'],
  // The rest of the EU and the EEA, and Switzerland.
  ...['AT', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'MT', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE'],
  ...['IS', 'LI', 'NO', 'CH'],
  // Europe outside the EU: labour migration and the Western Balkans.
  ...['UA', 'MD', 'BY', 'RU', 'AL', 'RS', 'BA', 'ME', 'MK', 'XK', 'TR', 'GE'],
  // Africa: West Africa (Nigeria, Sierra Leone, Guinea), the Horn (Eritrea), Uganda, the Maghreb.
  ...['NG', 'GH', 'SL', 'GN', 'CM', 'CI', 'UG', 'ER', 'ET', 'SO', 'SD', 'MA', 'DZ', 'TN', 'EG', 'LY'],
  // Asia: China and Vietnam, the Philippines and Thailand, South Asia, and the main asylum countries.
  ...['CN', 'VN', 'PH', 'TH', 'IN', 'PK', 'AF', 'SY', 'IQ', 'IR', 'YE'],
  // South America: Brazil, Colombia, Suriname.
  ...['BR', 'CO', 'SR'],
] as const;
