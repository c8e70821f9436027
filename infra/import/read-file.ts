import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';

/** A file's cells as text, row by row; the first row is the heading. */
export type Sheet = string[][];

/**
 * A CSV file's text: UTF-8 (with or without BOM) when the bytes are valid UTF-8, UTF-16 when a BOM says
 * so, else Windows-1252, which is what Excel writes as "CSV (gescheiden door lijstscheidingsteken)".
 */
export function decodeText(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

/** The delimiter of the heading line, outside quotes: Dutch Excel writes ';', others ',' (or a tab). */
export function detectDelimiter(text: string): string {
  const counts = new Map([
    [';', 0],
    [',', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  const [best, count] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
  return count > 0 ? best : ',';
}

export function parseCsv(bytes: Uint8Array): Sheet {
  const text = decodeText(bytes);
  // Every record is kept, empty lines too, so that a row's number is the one Excel shows for it.
  return parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as Sheet;
}

const iso = (date: Date) => date.toISOString().slice(0, 10);

/** A cell's value as the text it shows: a date as JJJJ-MM-DD (Excel's dates are read as UTC days). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : iso(value);
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return cellText((value as ExcelJS.CellHyperlinkValue).text);
  return '';
}

/** The first worksheet of an .xlsx file, row by row with Excel's row numbers (empty rows as empty). */
export async function parseXlsx(bytes: Uint8Array): Promise<Sheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: Sheet = [];
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      cells[column - 1] = cellText(cell.value);
    });
    rows[rowNumber - 1] = Array.from(cells, (c) => c ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}

export class UnsupportedFileError extends Error {}

/** Reads a .csv or .xlsx file into its rows. */
export async function readSheet(path: string): Promise<Sheet> {
  const bytes = await readFile(path);
  const extension = extname(path).toLowerCase();
  if (extension === '.xlsx') return parseXlsx(bytes);
  if (extension === '.csv' || extension === '.txt') return parseCsv(bytes);
  throw new UnsupportedFileError(`Kan ${extension || 'dit bestand'} niet lezen: gebruik .csv of .xlsx (in Excel: Opslaan als).`);
}
