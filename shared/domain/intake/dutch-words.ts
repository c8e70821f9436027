import { foldText } from '#domain/kernel/index.js';
import { type ExploitationForm, SECTORS, SIGNAL_TYPES, SOURCE_TYPES, type SourceType } from '#domain/signal/index.js';

/**
 * The Dutch words people type for a signal's classification, as a mail template or a spreadsheet says
 * them, read into the schema's values. Shared by the mail channel and the file import.
 */

/** What people write when they do not know: the field is "onbekend", and that is not an error. Matches folded text. */
export const SAYS_UNKNOWN = /^(onbekend|niet bekend|weet ik niet|weet niet|nvt|n\.v\.t\.?|geen|-+|\?+)$/;

function formOf(token: string): ExploitationForm | undefined {
  const word = token.replace(/uitbuiting/g, '').replace(/[^a-z]/g, '');
  if (!word) return undefined;
  if (SAYS_UNKNOWN.test(token.trim()) || word === 'onbekend') return 'onbekend';
  if (word.includes('seks')) return 'seksueel';
  if (word.includes('arbeid')) return 'arbeid';
  if (word.includes('crimin')) return 'crimineel';
  if (word.includes('orgaan') || word.includes('organen')) return 'orgaanverwijdering';
  return undefined;
}

/** "arbeidsuitbuiting", "seksuele uitbuiting en arbeid": the first is the form, the rest are additional. */
export function readForms(value: string): ExploitationForm[] | undefined {
  const tokens = foldText(value)
    .split(/,|;|\/|&|\+|\ben\b|\bof\b/)
    .map((t) => t.trim())
    .filter(Boolean);
  const forms = tokens.map(formOf);
  if (!forms.length || forms.some((f) => f === undefined)) return undefined;
  return [...new Set(forms as ExploitationForm[])];
}

/** A signal as it is read from words, field by field, before the schema checks it. */
export type SignalDraft = Record<string, unknown> & { subject?: Record<string, unknown> };

/**
 * Puts a value read from words where it goes in the signal: forms as the form and additional forms (the
 * first is the form), a field about the person in its subject, the rest as it is.
 */
export function placeInDraft(draft: SignalDraft, field: string, value: unknown, subjectFields: ReadonlySet<string>): void {
  if (field === 'form') {
    const [form, ...additional] = value as ExploitationForm[];
    draft.form = form;
    if (additional.length) draft.additionalForms = additional;
  } else if (subjectFields.has(field)) {
    draft.subject = { ...draft.subject, [field]: value };
  } else {
    draft[field] = value;
  }
}

const SECTOR_WORDS: Record<string, (typeof SECTORS)[number]> = {
  landbouw: 'land-en-tuinbouw',
  tuinbouw: 'land-en-tuinbouw',
  agrarisch: 'land-en-tuinbouw',
  transport: 'logistiek',
  distributie: 'logistiek',
  sekswerk: 'prostitutie',
  seksbranche: 'prostitutie',
  vlees: 'vleesverwerking',
  huishoudelijk: 'huishouden',
  overige: 'overig',
};

export function readSector(value: string): (typeof SECTORS)[number] | undefined {
  const slug = foldText(value)
    .replace(/[^a-z]+/g, '-')
    .replace(/^-|-$/g, '');
  if ((SECTORS as readonly string[]).includes(slug)) return slug as (typeof SECTORS)[number];
  return SECTOR_WORDS[slug] ?? SECTOR_WORDS[slug.split('-')[0]!];
}

export function readSignalType(value: string): (typeof SIGNAL_TYPES)[number] | undefined {
  const word = foldText(value).replace(/[^a-z]/g, '');
  if ((SIGNAL_TYPES as readonly string[]).includes(word)) return word as (typeof SIGNAL_TYPES)[number];
  if (word === 'advies' || word === 'vraagomadvies') return 'adviesvraag';
  return undefined;
}

/** A source type's name and the names and abbreviations people keep for it, as words run together. */
const SOURCE_WORDS: Record<string, SourceType> = {
  ...Object.fromEntries(SOURCE_TYPES.map((type) => [type.replace(/-/g, ''), type])),
  kmar: 'marechaussee',
  koninklijkemarechaussee: 'marechaussee',
  nla: 'arbeidsinspectie',
  nederlandsearbeidsinspectie: 'arbeidsinspectie',
  inspectieszw: 'arbeidsinspectie',
  coa: 'asielopvang',
  om: 'openbaar-ministerie',
  particulier: 'burger',
};

/** The source one part of a cell names: its leading words ("Gemeente Assen", "Politie Noord-Nederland", "OM Zwolle"). */
function sourceOf(part: string): SourceType | undefined {
  const words = part.split(/[^a-z0-9]+/).filter(Boolean);
  for (let n = Math.min(3, words.length); n > 0; n--) {
    const found = SOURCE_WORDS[words.slice(0, n).join('')];
    if (found) return found;
  }
  return undefined;
}

/**
 * "Politie", "gemeente Assen", "KMar", "Veilig Thuis": the source type a register names for a signal. A word
 * for "unknown" is `onbekend`; a cell naming two sources ("politie en gemeente") names none, since a signal
 * counts under one.
 */
export function readSourceType(value: string): SourceType | undefined {
  const folded = foldText(value);
  if (SAYS_UNKNOWN.test(folded)) return 'onbekend';
  const sources = folded
    .split(/,|;|\/|&|\+|\ben\b|\bof\b/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map(sourceOf);
  const named = new Set(sources);
  return sources.length && !named.has(undefined) && named.size === 1 ? sources[0] : undefined;
}
