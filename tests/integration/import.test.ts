import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ImportRun, runImportCli } from './support/import-cli.js';
import { TestStack } from './support/local-stack.js';

/**
 * `npm run import` against the real emulators: a register of 30 rows (3 invalid) in Windows-1252 with
 * semicolons, checked without sending, interrupted after its first batch and run again, and counted
 * exactly once; none of the personal data in it shows in the import's output, its report or the logs.
 */
let stack: TestStack;
const dir = mkdtempSync(join(tmpdir(), 'meldroute-import-'));
const file = join(dir, 'register 2014.csv');
const rejectedFile = join(dir, 'register 2014.afgewezen.csv');

/** BSNs that pass the elfproef: eight digits and the check digit that makes the weighted sum divisible by 11. */
function validBsn(seed: number): string {
  for (let last = 0; last < 10; last++) {
    const digits = `${String(10_000_000 + seed * 7919).slice(0, 8)}${last}`;
    const sum = digits.split('').reduce((acc, d, i) => acc + Number(d) * (i === 8 ? -1 : 9 - i), 0);
    if (sum !== 0 && sum % 11 === 0) return digits;
  }
  return validBsn(seed + 1);
}

const PLACES = ['Súdwest-Fryslân', 'Noardeast-Fryslân', 'emmen', 'GM0014', 'Gemeente De Fryske Marren'];
const FORMS = ['arbeidsuitbuiting', 'Seksuele uitbuiting', 'crimineel', 'onbekend'];
const personal: string[] = [];
function person(i: number) {
  const values = {
    naam: `Persoon Achternaamvan${i}`,
    geboortedatum: `${(i % 27) + 1}-0${(i % 9) + 1}-198${i % 10}`,
    bsn: validBsn(i),
    telefoon: `+316${String(20_000_000 + i * 1_234).padStart(8, '0')}`,
    'e-mail': `persoon${i}@voorbeeld-import.nl`,
    toelichting: `Geheime toelichting nummer ${i}, slaapt in de schuur`,
  };
  personal.push(...Object.values(values));
  return values;
}

const HEADING = [
  'Kenmerk',
  'Datum',
  'Gemeente',
  'Vorm van uitbuiting',
  'soort',
  'Sector',
  'Geslacht',
  'Naam',
  'Geboortedatum',
  'BSN',
  'Telefoon',
  'E-mail',
  'Toelichting',
];
type Row = Record<string, string>;
const rows: Row[] = Array.from({ length: 27 }, (_, i) => ({
  // A third have their own kenmerk; the rest get an id derived from what they say.
  Kenmerk: i % 3 === 0 ? `DR-2014-${i}` : '',
  Datum: `${(i % 28) + 1}-${(i % 12) + 1}-2014`,
  Gemeente: PLACES[i % PLACES.length]!,
  'Vorm van uitbuiting': FORMS[i % FORMS.length]!,
  soort: i % 5 === 0 ? 'adviesvraag' : 'melding',
  Sector: i % 2 ? 'Land- en tuinbouw' : '',
  Geslacht: i % 2 ? 'v' : 'm',
  ...(i % 3 === 1 &&
    (({ naam, geboortedatum, bsn, telefoon, 'e-mail': email, toelichting }) => ({
      Naam: naam,
      Geboortedatum: geboortedatum,
      BSN: bsn,
      Telefoon: telefoon,
      'E-mail': email,
      Toelichting: toelichting,
    }))(person(i))),
}));
// Two rows alike but for the person: two signals, not one.
rows[25] = { ...rows[24]!, Kenmerk: '', Naam: 'Tweeling Eerste' };
rows[26] = { ...rows[24]!, Kenmerk: '', Naam: 'Tweeling Tweede' };
rows[24] = { ...rows[24]!, Kenmerk: '' };
personal.push('Tweeling Eerste', 'Tweeling Tweede');
// Three invalid rows (rows 29, 30, 31 of the sheet, after one empty line): an unknown municipality, a date
// in the future, and a BSN that fails the elfproef, each with a person's data that must not leak.
const bad = person(99);
const invalid: Row[] = [
  { Datum: '3-3-2014', Gemeente: 'Atlantis', 'Vorm van uitbuiting': 'arbeid', Naam: bad.naam },
  { Datum: '1-1-2099', Gemeente: 'Emmen', 'Vorm van uitbuiting': 'arbeid', 'E-mail': bad['e-mail'] },
  { Datum: '4-4-2014', Gemeente: 'Emmen', 'Vorm van uitbuiting': 'arbeid', BSN: '123456789', Toelichting: bad.toelichting },
];
personal.push('123456789');

const line = (row: Row) => HEADING.map((h) => row[h] ?? '').join(';');
const csvText = `${[HEADING.join(';'), ...rows.map(line), '', ...invalid.map(line)].join('\r\n')}\r\n`;

const runs: ImportRun[] = [];

/** Runs `npm run import` on the register, or on another file. */
function runImport(...args: string[]): Promise<ImportRun> {
  return runImportOf(file, ...args);
}

async function runImportOf(path: string, ...args: string[]): Promise<ImportRun> {
  const run = await runImportCli(stack.ready.apiUrl, stack.key('signals:write'), path, ...args);
  runs.push(run);
  return run;
}

const signals2014 = async () => (await stack.scan('meldroute-signals')).filter((s) => String(s.observedAt).startsWith('2014-'));

beforeAll(async () => {
  // Windows-1252, as Dutch Excel saves CSV: "ú" and "â" are one byte each.
  writeFileSync(file, Buffer.from(csvText, 'latin1'));
  stack = await TestStack.start();
}, 60_000);
afterAll(() => stack?.stop());

describe('npm run import over the emulators', () => {
  it('checks every row with --dry-run, naming row and column, and sends nothing', async () => {
    const run = await runImport('--dry-run');
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('rij 30, kolom gemeente: Onbekende gemeente "Atlantis"');
    expect(run.stdout).toContain('rij 31, kolom datum: De datum ligt in de toekomst.');
    expect(run.stdout).toContain('rij 32, kolom bsn: Dit BSN klopt niet (elfproef).');
    expect(run.stdout).toContain('30 rijen, 27 goed, 3 afgewezen. Niets verstuurd');
    expect(await stack.scan('meldroute-signals')).toHaveLength(0);
    expect(await stack.scan('meldroute-intake-claims')).toHaveLength(0);
  }, 30_000);

  it('resumes an import interrupted after its first batch: every valid row counted exactly once', async () => {
    const first = await runImport('--batch-size', '10', '--stop-after-batches', '1');
    expect(first.code).toBe(2);
    expect(first.stdout).toMatch(/ontvangen \(nieuw\):\s+10\n/);
    expect(first.stdout).toMatch(/niet verstuurd:\s+17 /);

    const again = await runImport('--batch-size', '10');
    expect(again.code).toBe(2);
    expect(again.stdout).toMatch(/ontvangen \(nieuw\):\s+17\n/);
    expect(again.stdout).toMatch(/al eerder ontvangen:\s+10\n/);
    expect(again.stdout).toMatch(/afgewezen:\s+3 /);
    expect(again.stderr).toContain('Verstuurd: 27/27 rijen');

    const stats = await stack.waitForStatistics('year=2014', (s) => s.total === 27, 30_000);
    await stack.settle(30_000);
    expect((await stack.statistics('year=2014')).total).toBe(27);
    expect(stats.byChannel).toMatchObject({ api: 27 });
    expect(await signals2014()).toHaveLength(27);
  }, 60_000);

  it('writes the rejected rows beside the file: semicolons, BOM, row, column and reason', () => {
    const csv = readFileSync(rejectedFile, 'utf8');
    expect(csv.startsWith('\uFEFFrij;kolom;reden\r\n')).toBe(true);
    expect(
      csv
        .split('\r\n')
        .slice(1, 4)
        .map((l) => l.split(';').slice(0, 2)),
    ).toEqual([
      ['30', 'gemeente'],
      ['31', 'datum'],
      ['32', 'bsn'],
    ]);
  });

  it('takes an .xlsx with its own headings through a mapping file, and reports a kenmerk used before for other content', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Export');
    sheet.addRow(['Zaaknummer', 'Datum melding', 'Plaats', 'Categorie', 'Interne notitie', 'Naam cliënt']);
    for (let i = 0; i < 4; i++) sheet.addRow([`ZK-${i}`, new Date(Date.UTC(2015, i, 10)), 'Súdwest-Fryslân', 'arbeid', 'intern', `Cliënt Xlsxnaam${i}`]);
    // DR-2014-0 came in above as a 2014 signal: the same kenmerk with other content is refused by the API.
    sheet.addRow(['DR-2014-0', new Date(Date.UTC(2015, 5, 1)), 'Emmen', 'seksueel', 'intern', 'Cliënt Xlsxnaam9']);
    personal.push(...[0, 1, 2, 3, 9].map((i) => `Cliënt Xlsxnaam${i}`));
    const xlsx = join(dir, 'export.xlsx');
    await workbook.xlsx.writeFile(xlsx);
    const mapping = join(dir, 'koppeling.json');
    writeFileSync(
      mapping,
      JSON.stringify({
        Zaaknummer: 'kenmerk',
        'Datum melding': 'datum',
        Plaats: 'gemeente',
        Categorie: 'vorm',
        'Interne notitie': null,
        'Naam cliënt': 'naam',
      }),
    );

    const run = await runImportOf(xlsx, '--mapping', mapping);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/ontvangen \(nieuw\):\s+4\n/);
    expect(run.stdout).toMatch(/afgewezen:\s+1 \(bij controle 0, door de API 1/);
    expect(readFileSync(join(dir, 'export.afgewezen.csv'), 'utf8')).toMatch(/\r\n6;kenmerk;Deze rij is al eerder ontvangen met andere inhoud/);
    expect((await stack.waitForStatistics('year=2015', (s) => s.total === 4, 30_000)).byMunicipality).toMatchObject({ GM1900: 4 });
  }, 30_000);

  it('prints, reports and logs none of the personal data in the file, and stores it only pseudonymised', async () => {
    expect(personal.length).toBeGreaterThan(50);
    const stored = JSON.stringify(await signals2014());
    const written = [
      ...runs.flatMap((r) => [r.stdout, r.stderr]),
      readFileSync(rejectedFile, 'utf8'),
      readFileSync(join(dir, 'export.afgewezen.csv'), 'utf8'),
      stack.logs,
      stored,
    ];
    for (const value of personal) {
      for (const text of written) expect(text.includes(value), `${value.slice(0, 3)}… leaked`).toBe(false);
    }
    // The stored signals did get their subjects: pseudonyms, not nothing.
    expect((await signals2014()).filter((s) => s.subject?.pseudonyms?.bsn).length).toBeGreaterThanOrEqual(8);
    expect(existsSync(rejectedFile)).toBe(true);
  });
});
