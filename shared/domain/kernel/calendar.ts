const TIME_ZONE = 'Europe/Amsterdam';

// Made once, on first use: making a formatter loads the time zone's rules and costs more than formatting.
let dutchDate: Intl.DateTimeFormat | undefined;

/** Today's date (YYYY-MM-DD) where the signals arise: a date typed in the Netherlands is a Dutch date. */
export function todayInNetherlands(now: Date = new Date()): string {
  dutchDate ??= new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
  return dutchDate.format(now);
}

/** True for a real calendar date written as YYYY-MM-DD (so 2023-02-30 is not one). */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Whole years between a birth date and a later date, both YYYY-MM-DD. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [oy, om, od] = on.split('-').map(Number) as [number, number, number];
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

const HOUR_MS = 3_600_000;

/** The first instant of a Dutch calendar day (YYYY-MM-DD), as UTC ISO 8601: UTC+1 or +2, changed at night, never at midnight. */
export function startOfDutchDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  const summer = todayInNetherlands(new Date(midnightUtc - 2 * HOUR_MS)) === date;
  return new Date(midnightUtc - (summer ? 2 : 1) * HOUR_MS).toISOString();
}

/** The calendar day after a date (YYYY-MM-DD). */
export const dayAfter = (date: string): string => new Date(Date.parse(`${date}T12:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
