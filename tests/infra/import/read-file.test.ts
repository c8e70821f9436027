import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { decodeText, detectDelimiter, parseCsv, parseXlsx, readSheet } from '../../../infra/import/read-file.js';
import { rejectedCsv, rejectedPath } from '../../../infra/import/rejected.js';

/** Windows-1252 as Dutch Excel saves "CSV (gescheiden door lijstscheidingsteken)": one byte per character. */
function windows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) throw new Error(`not in Latin-1: ${text[i]}`);
    bytes[i] = code;
  }
  return bytes;
}

describe('reading a CSV file', () => {
  it('reads a semicolon file in Windows-1252 with Frisian diacritics, as Dutch Excel writes it', () => {
    const bytes = windows1252('datum;gemeente;vorm\r\n14-3-2023;Súdwest-Fryslân;arbeid\r\n1-4-2023;Noardeast-Fryslân;seksueel\r\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    expect(parseCsv(bytes)).toEqual([
      ['datum', 'gemeente', 'vorm'],
      ['14-3-2023', 'Súdwest-Fryslân', 'arbeid'],
      ['1-4-2023', 'Noardeast-Fryslân', 'seksueel'],
    ]);
  });

  it('reads UTF-8 with a BOM and commas, with quoted cells over several lines', () => {
    const bytes = new TextEncoder().encode('\uFEFFdatum,gemeente,toelichting\n2023-03-14,Súdwest-Fryslân,"regel 1\nregel 2, met komma"\n');
    expect(parseCsv(bytes)).toEqual([
      ['datum', 'gemeente', 'toelichting'],
      ['2023-03-14', 'Súdwest-Fryslân', 'regel 1\nregel 2, met komma'],
    ]);
  });

  it('keeps empty lines as rows, so a row number is the one Excel shows', () => {
    const rows = parseCsv(new TextEncoder().encode('datum;gemeente\n\n2023-01-01;Emmen\n'));
    expect(rows[2]).toEqual(['2023-01-01', 'Emmen']);
  });

  it('takes the delimiter from the heading line, not from the cells below it', () => {
    expect(detectDelimiter('datum;gemeente;toelichting\n1-1-2020;Emmen;a, b, c, d')).toBe(';');
    expect(detectDelimiter('"datum;x",gemeente\n')).toBe(',');
    expect(detectDelimiter('datum\tgemeente\n')).toBe('\t');
    expect(detectDelimiter('datum\n')).toBe(',');
  });

  it('decodes UTF-16 with a BOM, as Excel writes "Unicode-tekst"', () => {
    const text = 'datum\tgemeente\r\n';
    const bytes = new Uint8Array([0xff, 0xfe, ...new Uint8Array(new Uint16Array([...text].map((c) => c.charCodeAt(0))).buffer)]);
    expect(decodeText(bytes)).toBe(text);
  });
});

describe('reading an .xlsx file', () => {
  it('reads the first worksheet of a file written with exceljs: dates as Excel dates, numbers, links and rich text as their text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Register 2023');
    sheet.addRow(['datum', 'gemeente', 'vorm', 'bsn', 'e-mail', 'toelichting']);
    sheet.addRow([new Date(Date.UTC(2023, 2, 14)), 'Súdwest-Fryslân', 'arbeid', 11222333, { text: 'a@example.org', hyperlink: 'mailto:a@example.org' }, 'x']);
    sheet.addRow([]);
    sheet.addRow(['1-4-2023', 'GM0014', { richText: [{ text: 'seks' }, { text: 'ueel' }] }, null, null, { formula: '1+1', result: 2 }]);
    const dir = mkdtempSync(join(tmpdir(), 'meldroute-import-'));
    const path = join(dir, 'register.xlsx');
    await workbook.xlsx.writeFile(path);

    expect(await readSheet(path)).toEqual([
      ['datum', 'gemeente', 'vorm', 'bsn', 'e-mail', 'toelichting'],
      ['2023-03-14', 'Súdwest-Fryslân', 'arbeid', '11222333', 'a@example.org', 'x'],
      [],
      ['1-4-2023', 'GM0014', 'seksueel', '', '', '2'],
    ]);
  });

  it('gives no rows for an empty worksheet', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('leeg');
    expect(await parseXlsx(Buffer.from(await workbook.xlsx.writeBuffer()))).toEqual([]);
  });

  it('refuses other file types with a Dutch message', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'meldroute-import-')), 'register.xls');
    writeFileSync(path, 'x');
    await expect(readSheet(path)).rejects.toThrow(/gebruik .csv of .xlsx/);
  });
});

describe('the CSV of rejected rows', () => {
  it('is UTF-8 with a BOM and semicolons, for Excel, with row, column and reason only', () => {
    const csv = rejectedCsv([{ rowNumber: 4, errors: [{ column: 'gemeente', message: 'Onbekende gemeente "Atlantis"; gebruik de naam.' }] }]);
    expect(csv).toBe('\uFEFFrij;kolom;reden\r\n4;gemeente;"Onbekende gemeente ""Atlantis""; gebruik de naam."\r\n');
  });

  it('lies beside the input as <name>.afgewezen.csv', () => {
    expect(rejectedPath('/data/register 2023.xlsx')).toBe('/data/register 2023.afgewezen.csv');
  });
});
