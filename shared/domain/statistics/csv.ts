import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { NO_DECISION } from './counters.js';
import { CROSS_ROW_TABLES, CROSS_TABLES, type CrossTable, ONE_WAY_TABLES, type OneWayTable, type Statistics } from './reading.js';

/**
 * The figures as CSV that Excel opens as it is, in the Netherlands: UTF-8 with a byte order mark (without
 * it Excel reads Fryslân as FryslÃ¢n), `;` between fields (Dutch Excel's list separator, because the comma is
 * its decimal separator: a comma-separated file opens as one column there), CRLF, a header row with Dutch
 * column names, and the name of every municipality and province beside its code.
 */
export const CSV_MEDIA_TYPE = 'text/csv; charset=utf-8; header=present';
const BOM = '\uFEFF';
const SEPARATOR = ';';
const CRLF = '\r\n';

/** What a table is called in a CSV: the column over its values, and in the long format the `tabel` column. */
const TABLE_LABELS: Record<OneWayTable, string> = {
  byYear: 'jaar',
  byForm: 'vorm',
  byProvince: 'provincie',
  byMunicipality: 'gemeente',
  bySourceType: 'soort bron',
  byChannel: 'kanaal',
  bySignalType: 'soort signaal',
  byMonth: 'maand',
  byExploitationMunicipality: 'gemeente van uitbuiting',
  byMinors: 'minderjarigen',
  bySector: 'sector',
  byAgeBand: 'leeftijd',
  byGender: 'geslacht',
  byStatus: 'status',
  byAdditionalForm: 'bijkomende vorm',
  byRoute: 'route',
  byPerson: 'persoon',
  bySignalledBefore: 'eerder gesignaleerd',
};

/** The table's routes as the Drenthe report names them. */
const ROUTE_NAMES: Record<string, string> = {
  zorg: 'zorg',
  'zorg-en-strafrecht': 'zorg en strafrecht',
  riec: 'RIEC',
  advies: 'advies',
  'geen-vervolg': 'geen vervolg',
  [NO_DECISION]: 'nog geen besluit',
};

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/**
 * A value's name, for the tables whose codes a person does not read as they are: municipalities and
 * provinces, months, and age bands (which Excel would otherwise take for dates: 12-17 as December 2017).
 * Undefined for a table whose values are their own names. Routes too: "nog geen besluit" says more than its code.
 */
function nameOf(table: OneWayTable, code: string): string | undefined {
  switch (table) {
    case 'byMunicipality':
    case 'byExploitationMunicipality':
      return code === UNKNOWN ? UNKNOWN : (geography.municipality(code)?.name ?? code);
    case 'byProvince':
      return code === UNKNOWN ? UNKNOWN : (geography.province(code)?.name ?? code);
    case 'byMonth': {
      const [year, month] = code.split('-');
      const name = MONTHS[Number(month) - 1];
      return name && year ? `${name} ${year}` : code;
    }
    case 'byAgeBand': {
      if (code === UNKNOWN) return UNKNOWN;
      if (code.endsWith('+')) return `${code.slice(0, -1)} jaar en ouder`;
      const [low, high] = code.split('-');
      return high === undefined ? code : `${low} t/m ${high} jaar`;
    }
    case 'byRoute':
      return Object.hasOwn(ROUTE_NAMES, code) ? ROUTE_NAMES[code]! : code;
    default:
      return undefined;
  }
}
const isNamed = (table: OneWayTable) => nameOf(table, UNKNOWN) !== undefined;

/**
 * One field: quoted when it holds the separator, a quote or a line break (RFC 4180); text that a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe, as OWASP advises.
 */
function field(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[;"\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const csvText = (rows: readonly (readonly (string | number)[])[]) => BOM + rows.map((row) => row.map(field).join(SEPARATOR) + CRLF).join('');

/** Lower case ASCII for a file name: Súdwest-Fryslân becomes sudwest-fryslan. */
const slug = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

function filename(statistics: Statistics, what?: string): string {
  const period = statistics.from === statistics.to ? String(statistics.from) : `${statistics.from}-${statistics.to}`;
  const place = statistics.municipality
    ? geography.municipality(statistics.municipality)?.name
    : statistics.province
      ? geography.province(statistics.province)?.name
      : statistics.region;
  // Figures without some routes say so in their name: meldroute-2023-drenthe-zonder-riec.csv.
  const without = statistics.excludeRoute ? [`zonder ${statistics.excludeRoute.join(' ')}`] : [];
  return `${['meldroute', period, place ?? statistics.region, ...without, ...(what ? [what] : [])].map(slug).join('-')}.csv`;
}

/** One table: `code;gemeente;aantal` where values have names, else `vorm;aantal`. */
function oneTable(statistics: Statistics, table: OneWayTable): (string | number)[][] {
  const label = TABLE_LABELS[table];
  const entries = Object.entries(statistics[table]);
  if (!isNamed(table)) return [[label, 'aantal'], ...entries.map(([code, count]) => [code, count])];
  return [['code', label, 'aantal'], ...entries.map(([code, count]) => [code, nameOf(table, code)!, count])];
}

/** The cross table as Excel shows one: a row per value (with its name where it has one), a column per form. */
function crossTable(statistics: Statistics, cross: CrossTable): (string | number)[][] {
  const table = CROSS_ROW_TABLES[cross];
  const rows = Object.entries(statistics.cross ?? {});
  const columns = Object.keys(rows[0]?.[1] ?? {});
  const named = isNamed(table);
  const head = named ? ['code', TABLE_LABELS[table]] : [TABLE_LABELS[table]];
  return [
    [...head, ...columns],
    ...rows.map(([code, counts]) => [...(named ? [code, nameOf(table, code)!] : [code]), ...columns.map((column) => counts[column] ?? 0)]),
  ];
}

/**
 * Every one-way table in one sheet, long: `tabel;code;naam;aantal`, a row per value, so that a pivot table
 * or a filter on `tabel` gives any of them. Uncounted signals are named in a last row, as in the JSON.
 */
function longFormat(statistics: Statistics): (string | number)[][] {
  const rows: (string | number)[][] = [['tabel', 'code', 'naam', 'aantal']];
  for (const table of ONE_WAY_TABLES) {
    for (const [code, count] of Object.entries(statistics[table])) rows.push([TABLE_LABELS[table], code, nameOf(table, code) ?? code, count]);
  }
  for (const warning of statistics.warnings) rows.push(['waarschuwing', warning.code, warning.message, warning.count]);
  return rows;
}

export interface StatisticsCsv {
  filename: string;
  text: string;
}

/**
 * The figures as CSV: one table (`table`), the cross table (`table` cross, or `cross` asked without a
 * table), or else every one-way table in the long format. The numbers are those of the JSON answer.
 */
export function statisticsCsv(statistics: Statistics, options: { table?: OneWayTable | 'cross'; cross?: CrossTable } = {}): StatisticsCsv {
  const table = options.table ?? (options.cross ? 'cross' : undefined);
  if (table === 'cross') {
    const cross = options.cross;
    if (!cross || !CROSS_TABLES.includes(cross) || !statistics.cross) throw new Error('a cross table needs the cross it was read with');
    return { filename: filename(statistics, `${TABLE_LABELS[CROSS_ROW_TABLES[cross]]} vorm`), text: csvText(crossTable(statistics, cross)) };
  }
  if (table) return { filename: filename(statistics, TABLE_LABELS[table]), text: csvText(oneTable(statistics, table)) };
  return { filename: filename(statistics), text: csvText(longFormat(statistics)) };
}
