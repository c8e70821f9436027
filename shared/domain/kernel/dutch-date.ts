import { isCalendarDate } from './calendar.js';
import { foldText } from './text.js';

const MONTHS: Record<string, number> = {
  januari: 1,
  jan: 1,
  februari: 2,
  feb: 2,
  maart: 3,
  mrt: 3,
  mar: 3,
  april: 4,
  apr: 4,
  mei: 5,
  juni: 6,
  jun: 6,
  juli: 7,
  jul: 7,
  augustus: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  oktober: 10,
  okt: 10,
  oct: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
};

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/**
 * Reads a date as people in the Netherlands type it: "14-03-2023", "14/3/2023", "14.03.2023",
 * "2023-03-14", "14 maart 2023" or "di 14 mrt. 2023 10:15". Years have four digits, because "14-03-85"
 * could be a birth date in either century. Undefined when no real calendar date is there.
 */
export function parseDutchDate(text: string): string | undefined {
  const value = foldText(text);
  let match = /(?:^|\D)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/.exec(value);
  if (match) return checked(Number(match[1]), Number(match[2]), Number(match[3]));
  match = /(?:^|\D)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)/.exec(value);
  if (match) return checked(Number(match[3]), Number(match[2]), Number(match[1]));
  match = /(?:^|\D)(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})(?!\d)/.exec(value);
  if (match) {
    const month = MONTHS[match[2]!];
    return month ? checked(Number(match[3]), month, Number(match[1])) : undefined;
  }
  return undefined;
}

function checked(y: number, m: number, d: number): string | undefined {
  const date = iso(y, m, d);
  return isCalendarDate(date) ? date : undefined;
}
