import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRows, resolveColumns, rowsUnderHeading, TEMPLATE_COLUMNS } from '#domain/intake/import/index.js';
import { parseCsv, parseXlsx } from '../../infra/import/read-file.js';
import { templateCsv } from '../../infra/import-template.js';

const docs = resolve(import.meta.dirname, '../../docs');

describe('the import template', () => {
  it('ships docs/import-template.csv as the generator writes it, with every column of the import', () => {
    const csv = readFileSync(resolve(docs, 'import-template.csv'));
    expect(csv.toString('utf8')).toBe(templateCsv());
    expect(parseCsv(csv)[0]).toEqual([...TEMPLATE_COLUMNS]);
  });

  it('ships an .xlsx twin with the same columns and the same rows', async () => {
    const csv = parseCsv(readFileSync(resolve(docs, 'import-template.csv')));
    const xlsx = await parseXlsx(readFileSync(resolve(docs, 'import-template.xlsx')));
    expect(xlsx[0]).toEqual(csv[0]);
    const signals = (sheet: string[][]) => {
      const { fields } = resolveColumns(sheet[0]!);
      return prepareRows(rowsUnderHeading(sheet.slice(1), fields));
    };
    // Dates are real dates in the .xlsx and text in the CSV; both are the same signals.
    expect(signals(xlsx)).toEqual(signals(csv));
    expect(signals(csv).every((row) => 'signal' in row)).toBe(true);
  });
});
