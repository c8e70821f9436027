import { foldText } from '#domain/kernel/index.js';

/** The template's fields, as the README documents them: the label people type and what else it may say. */
export const TEMPLATE_FIELDS = {
  municipality: { label: 'Gemeente', keys: ['gemeente'] },
  province: { label: 'Provincie', keys: ['provincie'] },
  form: { label: 'Vorm van uitbuiting', keys: ['vorm van uitbuiting', 'vormen van uitbuiting', 'vorm'] },
  observedAt: { label: 'Datum', keys: ['datum'] },
  signalType: { label: 'Soort', keys: ['soort', 'soort signaal'] },
  sector: { label: 'Sector', keys: ['sector'] },
  name: { label: 'Naam betrokkene', keys: ['naam betrokkene'] },
  dateOfBirth: { label: 'Geboortedatum', keys: ['geboortedatum'] },
  bsn: { label: 'BSN', keys: ['bsn', 'bsn betrokkene'] },
  phone: { label: 'Telefoon', keys: ['telefoon', 'telefoonnummer', 'telefoon betrokkene'] },
  description: { label: 'Toelichting', keys: ['toelichting'] },
} as const;

export type TemplateField = keyof typeof TEMPLATE_FIELDS;
export type TemplateValues = Partial<Record<TemplateField, string>>;

/**
 * "Datum:" and "Telefoon:" alone do not make a template: they are also in forwarded headers and
 * signatures. Any other field does.
 */
const MARKING_FIELDS = new Set<TemplateField>(['municipality', 'province', 'form', 'signalType', 'sector', 'name', 'dateOfBirth', 'bsn', 'description']);

const fieldByKey = new Map<string, TemplateField>(
  Object.entries(TEMPLATE_FIELDS).flatMap(([field, { keys }]) => keys.map((key) => [key, field as TemplateField])),
);

const KEY_LINE = /^([\p{L} ]{2,40}?)\s*:\s*(.*)$/u;
const QUOTE_MARKERS = /^(\s*>)+\s?/;
/** Where the template ends: a signature separator or a closing greeting. */
const SIGNATURE = /^(--\s*$|(met\s+)?(vriendelijke|hartelijke|beste)?\s*groet(en)?\b|mvg\b)/i;
const FORWARD_FROM = /^(van|from)\s*:/i;
const FORWARD_SUBJECT = /^(onderwerp|subject)\s*:/i;

function keyLine(line: string): { field: TemplateField; value: string } | undefined {
  const match = KEY_LINE.exec(line);
  if (!match) return undefined;
  const field = fieldByKey.get(foldText(match[1]!));
  return field ? { field, value: match[2]!.trim() } : undefined;
}

/** Lines without quote markers, leaving out the header blocks of forwarded messages ("Van: … Onderwerp: …"). */
function bodyLines(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(QUOTE_MARKERS, '').trimEnd());
  const kept: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    const forwardedHeader = paragraph.some((l) => FORWARD_FROM.test(l.trim())) && paragraph.some((l) => FORWARD_SUBJECT.test(l.trim()));
    if (!forwardedHeader) kept.push(...paragraph);
    paragraph = [];
  };
  for (const line of lines) {
    if (line.trim() === '') {
      flush();
      kept.push('');
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return kept;
}

/**
 * Finds the template's "Key: value" lines in a message body, case-insensitively. The first occurrence
 * of a key counts; "Toelichting:" runs on over the following lines until the next key or the signature.
 */
export function readTemplate(text: string): { found: boolean; values: TemplateValues } {
  const values: TemplateValues = {};
  let description: string[] | undefined;
  let collecting = false;
  for (const rawLine of bodyLines(text)) {
    const line = rawLine.trim();
    if (SIGNATURE.test(line)) break;
    const entry = keyLine(line);
    if (entry) {
      collecting = false;
      if (values[entry.field] !== undefined || (entry.field === 'description' && description)) continue;
      if (entry.field === 'description') {
        description = entry.value ? [entry.value] : [];
        collecting = true;
      } else {
        values[entry.field] = entry.value;
      }
    } else if (collecting) {
      description!.push(rawLine);
    }
  }
  if (description) values.description = description.join('\n').trim();
  const found = Object.keys(values).some((field) => MARKING_FIELDS.has(field as TemplateField));
  return { found, values };
}
