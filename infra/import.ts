/**
 * npm run import -- FILE [--dry-run] [--url URL] [--key KEY] [--mapping mapping.json] [--zonder-bron]: takes a register
 * (.csv or .xlsx, the columns of docs/import-template.csv or a mapping file) in through the batch API.
 * Each row goes with a stable externalId, so an interrupted import run again counts nothing twice. The
 * bron column says per row from whom a signal came; only a key with signals:source may send it.
 *
 * It prints row numbers, column names, counts and reasons only: never a cell of a column about a person.
 *
 *   npm run import -- register-2023.xlsx --dry-run
 *   npm run import -- register-2023.csv --url https://api.meldroute.nl --key "$KEY"
 */

import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import * as z from 'zod/mini';
import { type BatchSignal, columnOfIssue, prepareRows, resolveColumns, rowsUnderHeading } from '#domain/intake/import/index.js';
import { readSheet, UnsupportedFileError } from './import/read-file.js';
import { type RejectedRow, rejectedPath, writeRejected } from './import/rejected.js';
import { ImportStoppedError, SourceRefusedError, sendSignals } from './import/send.js';

const USAGE = `gebruik: npm run import -- BESTAND [--dry-run] [--url URL] [--key SLEUTEL] [--mapping koppeling.json]
            [--rejected PAD] [--prefix VOORVOEGSEL] [--batch-size N] [--zonder-bron]
BESTAND: .csv (UTF-8 of Windows-1252, ; of ,) of .xlsx, met de kolommen van docs/import-template.csv
--url: de API (standaard http://localhost:3000); --key: een sleutel met signals:write (standaard die uit
.local/credentials.json, of MELDROUTE_API_KEY); de kolom bron vraagt een sleutel met ook signals:source
--zonder-bron: laat de kolom bron weg; elk signaal telt dan onder het brontype van de sleutel`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'dry-run': { type: 'boolean', default: false },
    url: { type: 'string', default: 'http://localhost:3000' },
    key: { type: 'string' },
    mapping: { type: 'string' },
    rejected: { type: 'string' },
    prefix: { type: 'string', default: '' },
    'batch-size': { type: 'string', default: '500' },
    'zonder-bron': { type: 'boolean', default: false },
    // Stops as an interruption would, after this many batches: how the tests prove a resumed import.
    'stop-after-batches': { type: 'string' },
    'data-dir': { type: 'string', default: process.env.MELDROUTE_DATA_DIR ?? '.local' },
    help: { type: 'boolean', default: false },
  },
});

const out = (line = '') => process.stdout.write(`${line}\n`);
const err = (line = '') => process.stderr.write(`${line}\n`);

function fail(message: string): never {
  err(message);
  process.exit(1);
}

if (values.help) {
  out(USAGE);
  process.exit(0);
}
const file = positionals[0];
if (!file || positionals.length > 1) fail(USAGE);
if (!existsSync(file)) fail(`Bestand niet gevonden: ${file}`);

const MappingSchema = z.record(z.string(), z.nullable(z.string()));

function readMapping(path: string | undefined) {
  if (!path) return undefined;
  try {
    return MappingSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    fail(`Koppelingsbestand ${path} is onleesbaar: verwacht JSON als {"Kolom in uw bestand": "kolom van het sjabloon", "Andere kolom": null}.`);
  }
}

function apiKey(): string {
  const given = values.key ?? process.env.MELDROUTE_API_KEY;
  if (given) return given;
  const path = join(values['data-dir']!, 'credentials.json');
  try {
    const credentials = JSON.parse(readFileSync(path, 'utf8')) as { keys: Array<{ scopes: string[]; key: string }> };
    const key = credentials.keys.find((k) => k.scopes.includes('signals:write'))?.key;
    if (key) return key;
  } catch {
    // Told below.
  }
  fail(`Geen sleutel: geef --key (een sleutel met signals:write) of start eerst de lokale stack (npm start), die ${path} schrijft.`);
}

const count = (n: number) => n.toLocaleString('nl-NL');

// Reading the file and its columns.
let sheet: string[][];
try {
  sheet = await readSheet(file);
} catch (error) {
  if (error instanceof UnsupportedFileError) fail(error.message);
  fail(`Kan ${file} niet lezen (${(error as Error).name}).`);
}
const [headings = [], ...body] = sheet;
const columns = resolveColumns(headings, readMapping(values.mapping), { withoutSource: values['zonder-bron']! });
for (const notice of columns.notices) err(notice);
if (columns.errors.length) fail(columns.errors.join('\n'));

const prepared = prepareRows(rowsUnderHeading(body, columns.fields), { prefix: values.prefix! });
const valid = prepared.filter((row): row is { rowNumber: number; signal: BatchSignal } => 'signal' in row);
const rejected: RejectedRow[] = prepared.filter((row): row is RejectedRow => 'errors' in row);
const rejectedFile = values.rejected ?? rejectedPath(file);

async function reportRejected() {
  rejected.sort((a, b) => a.rowNumber - b.rowNumber);
  if (rejected.length) {
    await writeRejected(rejectedFile, rejected);
    out(`Afgewezen rijen met reden: ${rejectedFile}`);
  } else if (existsSync(rejectedFile)) {
    // A list from an earlier run would say rows are refused that now are not.
    await rm(rejectedFile);
  }
}

if (values['dry-run']) {
  for (const row of rejected) for (const e of row.errors) out(`rij ${row.rowNumber}, kolom ${e.column}: ${e.message}`);
  out(`Controle van ${file}: ${count(prepared.length)} rijen, ${count(valid.length)} goed, ${count(rejected.length)} afgewezen. Niets verstuurd (--dry-run).`);
  await reportRejected();
  process.exit(rejected.length ? 2 : 0);
}

// Sending, with a progress bar on a terminal and a line per batch elsewhere.
const key = apiKey();
const total = valid.length;
const started = Date.now();
const rate = (done: number) => done / Math.max(0.001, (Date.now() - started) / 1000);
const bar = process.stderr.isTTY
  ? new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: 'Importeren [{bar}] {value}/{total} rijen | {rate}/s | nog {eta_formatted}',
        hideCursor: true,
        etaBuffer: 5,
      },
      cliProgress.Presets.shades_classic,
    )
  : undefined;
bar?.start(total, 0, { rate: '0' });

let sent: Awaited<ReturnType<typeof sendSignals>>;
try {
  sent = await sendSignals(
    valid.map((row) => row.signal),
    {
      url: values.url!,
      key,
      batchSize: Number(values['batch-size']),
      ...(values['stop-after-batches'] !== undefined && { stopAfterBatches: Number(values['stop-after-batches']) }),
      onBatch: (done) => {
        const perSecond = rate(done);
        if (bar) bar.update(done, { rate: perSecond.toFixed(0) });
        else
          err(
            `Verstuurd: ${count(done)}/${count(total)} rijen (${perSecond.toFixed(0)}/s, nog ca. ${Math.ceil((total - done) / Math.max(perSecond, 0.001))} s)`,
          );
      },
      onWait: (reason, ms) => {
        if (!bar) err(`${reason}: opnieuw over ${Math.ceil(ms / 1000)} s`);
      },
    },
  );
} catch (error) {
  bar?.stop();
  if (error instanceof SourceRefusedError) fail(error.message);
  if (error instanceof ImportStoppedError) fail(`${error.message}\nWat al is ontvangen telt niet dubbel: voer dezelfde opdracht later opnieuw uit.`);
  throw error;
}
bar?.stop();

const tally = { accepted: 0, duplicate: 0, invalid: 0, failed: 0, notSent: 0 };
sent.results.forEach((result, i) => {
  const { rowNumber } = valid[i]!;
  if (!result) {
    tally.notSent++;
    return;
  }
  tally[result.status]++;
  if (result.status === 'invalid' || result.status === 'failed') {
    const errors = (result.errors ?? [{ pointer: '', detail: 'Niet verwerkt.' }]).map((e) => ({
      // "/signals/3/subject/bsn": the path inside the signal names the column.
      column: columnOfIssue(e.pointer.split('/').slice(3)),
      message:
        result.status === 'failed'
          ? 'Niet verwerkt door de API; voer de import opnieuw uit (telt niet dubbel).'
          : e.pointer.endsWith('/externalId')
            ? 'Deze rij is al eerder ontvangen met andere inhoud: hetzelfde kenmerk, of zonder kenmerk dezelfde gegevens met andere persoonsgegevens, een andere bron of in een andere volgorde. Een ontvangen signaal verbetert u met PATCH /v1/signals/{id}.'
            : e.detail,
    }));
    rejected.push({ rowNumber, errors });
  }
});

const seconds = (Date.now() - started) / 1000;
out(
  `Import van ${file}: ${count(prepared.length)} rijen in ${seconds.toLocaleString('nl-NL', { maximumFractionDigits: 1 })} s (${count(Math.round(rate(total - tally.notSent)))} per seconde)`,
);
out(`  ontvangen (nieuw):     ${count(tally.accepted)}`);
out(`  al eerder ontvangen:   ${count(tally.duplicate)}`);
if (sent.receivedWithoutSource.length) {
  out(
    `  waarvan zonder bron:   ${count(sent.receivedWithoutSource.length)} (eerder geïmporteerd zonder de kolom bron; ze blijven geteld onder het brontype van de sleutel van toen)`,
  );
}
out(
  `  afgewezen:             ${count(rejected.length)} (bij controle ${count(prepared.length - total)}, door de API ${count(tally.invalid)}, niet verwerkt ${count(tally.failed)})`,
);
if (tally.notSent) {
  out(`  niet verstuurd:        ${count(tally.notSent)} (gestopt); voer dezelfde opdracht opnieuw uit: wat al is ontvangen telt niet dubbel.`);
}
await reportRejected();
process.exit(rejected.length || tally.notSent ? 2 : 0);
