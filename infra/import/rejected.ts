import { writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { RowError } from '#domain/intake/import/index.js';

export interface RejectedRow {
  rowNumber: number;
  errors: RowError[];
}

/** Where the rejected rows go by default: beside the file, "<naam>.afgewezen.csv". */
export function rejectedPath(input: string): string {
  return join(dirname(input), `${basename(input, extname(input))}.afgewezen.csv`);
}

const cell = (value: string | number) => {
  const text = String(value);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * The rejected rows as Excel opens them (semicolons, UTF-8 with BOM): row number, column and reason,
 * one line per reason. Nothing from the row itself: its reasons name the column, not the person.
 */
export function rejectedCsv(rows: readonly RejectedRow[]): string {
  const lines = [['rij', 'kolom', 'reden'].join(';')];
  for (const row of rows) for (const error of row.errors) lines.push([row.rowNumber, error.column, error.message].map(cell).join(';'));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export async function writeRejected(path: string, rows: readonly RejectedRow[]): Promise<void> {
  await writeFile(path, rejectedCsv(rows), 'utf8');
}
