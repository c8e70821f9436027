import { foldText } from '#domain/kernel/index.js';

/**
 * The columns of the import template: per field of a signal its Dutch column name, the other headings
 * people give it, and whether it is about the person (never printed, reported, or used for an id).
 */
export const IMPORT_COLUMNS = {
  externalId: { column: 'kenmerk', aliases: ['eigen kenmerk', 'id', 'referentie'], personal: false },
  observedAt: { column: 'datum', aliases: ['datum signaal', 'datum melding'], personal: false },
  municipality: { column: 'gemeente', aliases: ['gemeentecode'], personal: false },
  province: { column: 'provincie', aliases: [], personal: false },
  exploitationMunicipality: { column: 'gemeente van uitbuiting', aliases: ['plaats van uitbuiting'], personal: false },
  form: { column: 'vorm', aliases: ['vorm van uitbuiting', 'vormen van uitbuiting'], personal: false },
  signalType: { column: 'soort', aliases: ['soort signaal'], personal: false },
  sector: { column: 'sector', aliases: [], personal: false },
  minorsSuspected: { column: 'minderjarig', aliases: ['minderjarigen', 'minderjarige'], personal: false },
  legalBasis: { column: 'grondslag', aliases: [], personal: false },
  /** From whom the signal came; sent only with a key that may state it (signals:source), and never part of a derived id. */
  sourceType: { column: 'bron', aliases: ['brontype', 'soort bron', 'bron signaal'], personal: false },
  gender: { column: 'geslacht', aliases: [], personal: true },
  nationality: { column: 'nationaliteit', aliases: [], personal: true },
  name: { column: 'naam', aliases: ['naam betrokkene'], personal: true },
  dateOfBirth: { column: 'geboortedatum', aliases: [], personal: true },
  bsn: { column: 'bsn', aliases: ['bsn betrokkene'], personal: true },
  phone: { column: 'telefoon', aliases: ['telefoonnummer'], personal: true },
  email: { column: 'e-mail', aliases: ['e-mailadres'], personal: true },
  description: { column: 'toelichting', aliases: ['omschrijving'], personal: true },
} as const;

export type ImportField = keyof typeof IMPORT_COLUMNS;

/** The template's columns in its order: the header of docs/import-template.csv and .xlsx. */
export const TEMPLATE_COLUMNS: readonly string[] = Object.values(IMPORT_COLUMNS).map((c) => c.column);

/** A heading as compared: no case, diacritics, spaces or punctuation ("E-mail" is "email", "Vorm_van uitbuiting" "vormvanuitbuiting"). */
const headingKey = (heading: string) => foldText(heading).replace(/[^a-z0-9]/g, '');

const fieldByHeading = new Map<string, ImportField>(
  Object.entries(IMPORT_COLUMNS).flatMap(([field, { column, aliases }]) => [column, ...aliases].map((h) => [headingKey(h), field as ImportField])),
);

/** A mapping file: a heading of the file to a column of the template, or null to leave that column out. */
export type ColumnMapping = Record<string, string | null>;

export interface ResolvedColumns {
  /** Per column of the file, by position, the field it fills; undefined when it is left out. */
  fields: Array<ImportField | undefined>;
  /** What makes the file unreadable (no date column, a column twice); in Dutch. */
  errors: string[];
  /** Columns left out, and why; in Dutch. */
  notices: string[];
}

export interface ColumnOptions {
  /** Leave the bron column out (--zonder-bron): every signal counts under the source type of the key. */
  withoutSource?: boolean;
}

/** Ties the headings of a file to the template's fields, through the mapping file where there is one. */
export function resolveColumns(headings: readonly string[], mapping: ColumnMapping = {}, options: ColumnOptions = {}): ResolvedColumns {
  const mapped = new Map(Object.entries(mapping).map(([from, to]) => [headingKey(from), to]));
  const errors: string[] = [];
  const notices: string[] = [];
  for (const [from, to] of Object.entries(mapping)) {
    if (to !== null && !fieldByHeading.has(headingKey(to))) {
      errors.push(`Koppeling "${from}" → "${to}": "${to}" is geen kolom van het sjabloon (${TEMPLATE_COLUMNS.join(', ')}).`);
    }
  }
  const seen = new Map<ImportField, string>();
  const fields = headings.map((heading): ImportField | undefined => {
    const key = headingKey(heading);
    if (!key) return undefined;
    const target = mapped.has(key) ? mapped.get(key) : heading;
    if (target === null || target === undefined) {
      notices.push(`Kolom "${heading}" wordt overgeslagen (koppelingsbestand).`);
      return undefined;
    }
    const field = fieldByHeading.get(headingKey(target));
    if (!field) {
      notices.push(`Kolom "${heading}" is onbekend en wordt overgeslagen.`);
      return undefined;
    }
    if (field === 'sourceType' && options.withoutSource) {
      notices.push(`Kolom "${heading}" wordt niet meegestuurd (--zonder-bron): elk signaal telt onder het brontype van de sleutel.`);
      return undefined;
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      errors.push(`Kolommen "${earlier}" en "${heading}" zijn allebei "${IMPORT_COLUMNS[field].column}"; houd er één.`);
      return undefined;
    }
    seen.set(field, heading);
    return field;
  });
  if (!seen.has('observedAt'))
    errors.push(`Geen kolom "datum" gevonden. Kolommen van het sjabloon: ${TEMPLATE_COLUMNS.join(', ')}; of geef een koppelingsbestand met --mapping.`);
  return { fields, errors, notices };
}

/** The rows under the heading as cells by field, numbered as the spreadsheet numbers them (the heading is row 1). */
export function rowsUnderHeading(
  body: readonly (readonly string[])[],
  fields: ResolvedColumns['fields'],
): Array<{ rowNumber: number; cells: Partial<Record<ImportField, string>> }> {
  return body.map((cells, i) => ({
    rowNumber: i + 2,
    cells: Object.fromEntries(fields.flatMap((field, c) => (field ? [[field, cells[c] ?? '']] : []))),
  }));
}
