import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import { foldText, geography, parseDutchDate, UNKNOWN } from '#domain/kernel/index.js';
import { GENDERS, LEGAL_BASES, MAX_DESCRIPTION_LENGTH, type MINORS_ANSWERS, SOURCE_TYPES } from '#domain/signal/index.js';
import { BatchSignalInputSchema, placeInDraft, readForms, readSector, readSignalType, readSourceType, SAYS_UNKNOWN, type SignalDraft } from '../index.js';
import { IMPORT_COLUMNS, type ImportField } from './columns.js';

/** One row of the file: its number as the spreadsheet shows it (the heading is row 1) and its cells by field. */
export interface ImportRow {
  rowNumber: number;
  cells: Partial<Record<ImportField, string>>;
}

/** Why a row is refused: the column (its name in the template) and the reason in Dutch, never the cell of a person. */
export interface RowError {
  column: string;
  message: string;
}

export type BatchSignal = z.output<typeof BatchSignalInputSchema>;

export type PreparedRow = { rowNumber: number; signal: BatchSignal } | { rowNumber: number; errors: RowError[] };

const SUBJECT_FIELDS = new Set<ImportField>(['gender', 'nationality', 'name', 'dateOfBirth', 'bsn', 'phone', 'email']);
const DATE_FORMATS = 'gebruik dd-mm-jjjj, d-m-jjjj of jjjj-mm-dd';
const column = (field: ImportField) => IMPORT_COLUMNS[field].column;

/**
 * Not part of a derived externalId: a file imported before the bron column was read keeps its ids, and a
 * row whose bron is corrected is the same signal (the API then reports it received with other content).
 */
const NOT_IN_IDENTITY = new Set<ImportField>(['sourceType']);

/** "Weet niet" and the like are blank cells already (SAYS_UNKNOWN): left out, so minors follow from a date of birth. */
const MINORS_WORDS: Record<string, (typeof MINORS_ANSWERS)[number]> = { ja: 'ja', j: 'ja', nee: 'nee', n: 'nee', 'weet-niet': 'weet-niet' };

const GENDER_WORDS: Record<string, (typeof GENDERS)[number]> = { vrouw: 'v', vrouwelijk: 'v', man: 'm', mannelijk: 'm', anders: 'x', divers: 'x' };

/**
 * Per field: the cell read into the schema's value, or a reason in Dutch. A reason quotes the cell only
 * for a column that is not about the person.
 */
const readers: Record<ImportField, (value: string) => { value: unknown } | { error: string }> = {
  externalId: (v) => ({ value: v }),
  observedAt: (v) => date(v) ?? { error: `Geen datum: "${v}"; ${DATE_FORMATS}.` },
  municipality: (v) => municipality(v),
  exploitationMunicipality: (v) => municipality(v),
  province: (v) => {
    const found = geography.findProvince(v);
    return found ? { value: found.code } : { error: `Onbekende provincie "${v}"; gebruik ${geography.provinceCodes().join(', ')} of de naam.` };
  },
  form: (v) => {
    const forms = readForms(v);
    return forms ? { value: forms } : { error: `Onbekende vorm van uitbuiting "${v}"; gebruik seksueel, arbeid, crimineel, orgaanverwijdering of onbekend.` };
  },
  signalType: (v) => {
    const type = readSignalType(v);
    return type ? { value: type } : { error: `Onbekende soort "${v}"; gebruik melding, adviesvraag of casus.` };
  },
  sector: (v) => {
    const sector = readSector(v);
    return sector ? { value: sector } : { error: `Onbekende sector "${v}".` };
  },
  minorsSuspected: (v) => {
    const word = foldText(v);
    const answer = MINORS_WORDS[word];
    return answer ? { value: answer } : { error: `Onbekend antwoord "${v}" bij minderjarig; gebruik ja, nee of onbekend.` };
  },
  // The cell is not quoted: a register's bron column may name the person who reported.
  sourceType: (v) => {
    const source = readSourceType(v);
    return source
      ? { value: source }
      : { error: `Onbekende bron; noem één bron per signaal: ${SOURCE_TYPES.join(', ')} (of bijvoorbeeld KMar, NLA, Inspectie SZW, Veilig Thuis, COA, OM).` };
  },
  legalBasis: (v) => {
    const basis = foldText(v).replace(/\s+/g, '-');
    return (LEGAL_BASES as readonly string[]).includes(basis) ? { value: basis } : { error: `Onbekende grondslag "${v}"; gebruik ${LEGAL_BASES.join(', ')}.` };
  },
  gender: (v) => {
    const word = foldText(v);
    const gender = (GENDERS as readonly string[]).includes(word) ? word : GENDER_WORDS[word];
    return gender ? { value: gender } : { error: 'Onbekend geslacht; gebruik v, m, x of onbekend.' };
  },
  nationality: (v) => ({ value: v.trim().toUpperCase() }),
  name: (v) => ({ value: v.trim().slice(0, 200) }),
  dateOfBirth: (v) => date(v) ?? { error: `Geen geldige geboortedatum; ${DATE_FORMATS}.` },
  bsn: (v) => ({ value: v.trim() }),
  phone: (v) => ({ value: v.trim() }),
  email: (v) => ({ value: v.trim() }),
  description: (v) => ({ value: v.trim().slice(0, MAX_DESCRIPTION_LENGTH) }),
};

function date(value: string): { value: string } | undefined {
  const parsed = parseDutchDate(value);
  return parsed ? { value: parsed } : undefined;
}

function municipality(value: string): { value: string } | { error: string } {
  const found = geography.findMunicipality(value);
  return found
    ? { value: found.code }
    : { error: `Onbekende gemeente "${value}"; gebruik de naam of CBS-code (GMxxxx) van een gemeente in de regio, of "onbekend".` };
}

/** The column a schema issue or an API error pointer is about: "subject.bsn" is "bsn", "additionalForms" is "vorm". */
export function columnOfIssue(path: readonly PropertyKey[]): string {
  const [head, sub] = path;
  const field = head === 'subject' ? sub : head === 'additionalForms' ? 'form' : head;
  return typeof field === 'string' && field in IMPORT_COLUMNS ? column(field as ImportField) : 'rij';
}

/** A cell that says nothing: empty, or a word for "unknown". */
const isBlank = (value: string | undefined) => value === undefined || !value.trim() || SAYS_UNKNOWN.test(foldText(value));

export interface ReadRow {
  rowNumber: number;
  /** The signal without its externalId: the cells that could be read. */
  draft: SignalDraft;
  /** The cells that could not be read, by column. */
  errors: RowError[];
  /** The row's given id (the kenmerk column). */
  ownId?: string;
  /** The row's content apart from the person: what its derived externalId is made of. */
  identity: string;
}

/** Reads one row into a signal's fields; never throws. An empty municipality or form counts as "onbekend". */
export function readRow(row: ImportRow): ReadRow {
  const draft: SignalDraft = { municipality: UNKNOWN, form: UNKNOWN };
  const errors: RowError[] = [];
  const identity: string[] = [];
  let ownId: string | undefined;
  for (const field of Object.keys(IMPORT_COLUMNS) as ImportField[]) {
    const raw = row.cells[field];
    const personal = IMPORT_COLUMNS[field].personal;
    const inIdentity = !personal && !NOT_IN_IDENTITY.has(field);
    if (field === 'externalId') {
      if (raw?.trim()) ownId = raw.trim();
      continue;
    }
    // An empty bron is not sent (the key's source type); a word for "unknown" there is the source type onbekend.
    if (field === 'sourceType' ? !raw?.trim() : isBlank(raw) || (field === 'description' && !raw?.trim())) {
      if (field === 'observedAt') errors.push({ column: column(field), message: `Verplicht: de datum van het signaal; ${DATE_FORMATS}.` });
      if (inIdentity) identity.push('');
      continue;
    }
    const read = readers[field](raw!);
    if ('error' in read) {
      errors.push({ column: column(field), message: read.error });
      if (inIdentity) identity.push(`?${foldText(raw!)}`);
    } else {
      placeInDraft(draft, field, read.value, SUBJECT_FIELDS);
      if (inIdentity) identity.push(JSON.stringify(read.value));
    }
  }
  return { rowNumber: row.rowNumber, draft, errors, identity: identity.join('|'), ...(ownId !== undefined && { ownId }) };
}

/** Validates a signal with the batch API's own schema; its issues named by column. */
export function validateSignal(signal: unknown): { signal: BatchSignal } | { errors: RowError[] } {
  const parsed = BatchSignalInputSchema.safeParse(signal);
  if (parsed.success) return { signal: parsed.data };
  return { errors: parsed.error.issues.map((issue) => ({ column: columnOfIssue(issue.path), message: issue.message })) };
}

/**
 * The externalId of a row without a kenmerk: a hash of its content apart from the person (date, places,
 * form, type, sector, …) and how many rows with that same content came before it in the file. So a row
 * keeps its id when other rows are added, removed or fixed, two identical rows stay two signals, and
 * nothing about the person (a hash of a BSN is no pseudonym) is in it.
 */
export function derivedExternalId(identity: string, occurrence: number, prefix = ''): string {
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 20);
  return `${prefix}imp-${hash}-${occurrence}`;
}

/**
 * Makes the file's rows into signals for the batch API, each with a stable externalId (its kenmerk, else
 * derived), or into the reasons per column that it cannot be one. Rows without any cell are left out.
 */
export function prepareRows(rows: Iterable<ImportRow>, options: { prefix?: string } = {}): PreparedRow[] {
  const prepared: PreparedRow[] = [];
  const occurrences = new Map<string, number>();
  const ownIds = new Map<string, number>();
  for (const row of rows) {
    if (Object.values(row.cells).every((cell) => !cell?.trim())) continue;
    const read = readRow(row);
    const occurrence = (occurrences.get(read.identity) ?? 0) + 1;
    occurrences.set(read.identity, occurrence);
    const errors = [...read.errors];
    let externalId = derivedExternalId(read.identity, occurrence, options.prefix);
    if (read.ownId !== undefined) {
      externalId = `${options.prefix ?? ''}${read.ownId}`;
      const first = ownIds.get(read.ownId);
      if (first !== undefined)
        errors.push({ column: column('externalId'), message: `Dit kenmerk staat ook in rij ${first}; elk signaal heeft een eigen kenmerk.` });
      else ownIds.set(read.ownId, row.rowNumber);
    }
    // The schema checks the rest too (a date in the future, a BSN's check digit), so that one run names
    // every fault of a row; a column already refused is not named twice.
    const validated = validateSignal({ externalId, ...read.draft });
    if ('errors' in validated) {
      const named = new Set(errors.map((e) => e.column));
      errors.push(...validated.errors.filter((e) => !named.has(e.column)));
    }
    prepared.push(errors.length || 'errors' in validated ? { rowNumber: row.rowNumber, errors } : { rowNumber: row.rowNumber, signal: validated.signal });
  }
  return prepared;
}
