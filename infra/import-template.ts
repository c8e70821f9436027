/**
 * npm run import-template: writes docs/import-template.csv and its twin docs/import-template.xlsx from the
 * import's own column list, so the template and the import cannot drift apart.
 */

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { TEMPLATE_COLUMNS } from '#domain/intake/import/index.js';

const docs = resolve(import.meta.dirname, '../docs');

/** Two rows that show the formats; nothing about a person, so importing the template as it is harms no one. */
export const TEMPLATE_EXAMPLES: Array<Record<string, string>> = [
  { kenmerk: 'VB-2023-001', datum: '14-03-2023', gemeente: 'Súdwest-Fryslân', vorm: 'arbeidsuitbuiting', soort: 'melding', sector: 'land- en tuinbouw' },
  { kenmerk: 'VB-2023-002', datum: '2023-06-01', gemeente: 'GM0014', provincie: 'GR', vorm: 'seksueel', soort: 'adviesvraag', sector: 'onbekend' },
];

/** Columns Excel must keep as text: a BSN or phone number loses its leading zero as a number. */
const TEXT_COLUMNS = new Set(['kenmerk', 'bsn', 'telefoon']);
const DATE_COLUMNS = new Set(['datum', 'geboortedatum']);

function dateOf(value: string): Date {
  const [d, m, y] = value.includes('-') && value.indexOf('-') === 4 ? value.split('-').reverse() : value.split('-');
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}

export function templateCsv(): string {
  const lines = [TEMPLATE_COLUMNS.join(';'), ...TEMPLATE_EXAMPLES.map((row) => TEMPLATE_COLUMNS.map((c) => row[c] ?? '').join(';'))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Meldroute';
  workbook.created = workbook.modified = new Date(Date.UTC(2026, 0, 1));
  const sheet = workbook.addWorksheet('Signalen', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((column) => ({
    header: column,
    key: column,
    width: column === 'toelichting' ? 40 : 16,
    style: TEXT_COLUMNS.has(column) ? { numFmt: '@' } : DATE_COLUMNS.has(column) ? { numFmt: 'dd-mm-yyyy' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const example of TEMPLATE_EXAMPLES) {
    sheet.addRow(Object.fromEntries(Object.entries(example).map(([column, value]) => [column, DATE_COLUMNS.has(column) ? dateOf(value) : value])));
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await writeFile(resolve(docs, 'import-template.csv'), templateCsv(), 'utf8');
  await writeFile(resolve(docs, 'import-template.xlsx'), await templateXlsx());
  process.stdout.write('docs/import-template.csv en docs/import-template.xlsx geschreven\n');
}
