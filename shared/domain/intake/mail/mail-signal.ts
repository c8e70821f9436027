import { foldText, geography, parseDutchDate, todayInNetherlands, UNKNOWN } from '#domain/kernel/index.js';
import { EARLIEST_DATE, MAX_DESCRIPTION_LENGTH, type SignalInput, SignalInputSchema } from '#domain/signal/index.js';
import { placeInDraft, readForms, readSector, readSignalType, SAYS_UNKNOWN, type SignalDraft } from '../index.js';
import { readTemplate, TEMPLATE_FIELDS, type TemplateField } from './template.js';

export interface MailSignal {
  input: SignalInput;
  status: 'ontvangen' | 'te-verrijken';
  template: boolean;
  /** Labels of the template fields that were there but could not be read; never their values. */
  unreadableFields: string[];
}

export interface MailFacts {
  /** The message body as text (HTML already converted). */
  text: string;
  /** The Date header, when it was there and readable. */
  sentAt?: Date;
  receivedAt: Date;
  /** From the sender's partner entry: where an unplaced signal is counted. */
  senderProvince?: string;
}

/** Each field's reading: a value for the schema, or undefined when it could not be read. */
const readers: Record<Exclude<TemplateField, 'description'>, (value: string) => unknown> = {
  municipality: (v) => geography.findMunicipality(v)?.code,
  province: (v) => geography.findProvince(v)?.code,
  form: readForms,
  observedAt: parseDutchDate,
  signalType: readSignalType,
  sector: readSector,
  name: (v) => v.slice(0, 200),
  dateOfBirth: parseDutchDate,
  bsn: (v) => v,
  phone: (v) => v,
};

const SUBJECT_FIELDS = new Set<TemplateField>(['name', 'dateOfBirth', 'bsn', 'phone']);

function remove(draft: SignalDraft, field: TemplateField) {
  if (field === 'form') {
    draft.form = UNKNOWN;
    delete draft.additionalForms;
  } else if (SUBJECT_FIELDS.has(field)) {
    delete draft.subject?.[field];
  } else if (field === 'municipality') {
    draft.municipality = UNKNOWN;
  } else {
    delete draft[field];
  }
}

/** The template field a schema issue is about. */
function fieldOfIssue(path: readonly PropertyKey[]): TemplateField | undefined {
  const [head, sub] = path;
  if (head === 'subject') return SUBJECT_FIELDS.has(sub as TemplateField) ? (sub as TemplateField) : undefined;
  if (head === 'additionalForms') return 'form';
  return head !== undefined && head in TEMPLATE_FIELDS ? (head as TemplateField) : undefined;
}

/** The date of the signal when the mail does not say: the day it was sent, else the day it came in. */
function fallbackDate(facts: MailFacts): string {
  const today = todayInNetherlands(facts.receivedAt);
  const sent = facts.sentAt && !Number.isNaN(facts.sentAt.getTime()) ? todayInNetherlands(facts.sentAt) : undefined;
  return sent && sent >= EARLIEST_DATE && sent <= today ? sent : today;
}

/**
 * Makes a signal of an e-mail. The template's fields are read as people type them; a field that cannot
 * be read is named in `unreadableFields` and left out, so it counts as "onbekend". A mail never fails.
 */
export function signalFromMail(facts: MailFacts): MailSignal {
  const { found, values } = readTemplate(facts.text);
  const draft: SignalDraft = { observedAt: fallbackDate(facts), municipality: UNKNOWN, form: UNKNOWN, signalType: 'melding' };
  const unreadable = new Set<TemplateField>();

  if (!found) {
    const body = facts.text.trim();
    if (body) draft.description = body.slice(0, MAX_DESCRIPTION_LENGTH);
  } else {
    for (const [field, raw] of Object.entries(values) as Array<[TemplateField, string]>) {
      if (field === 'description') {
        if (raw) draft.description = raw.slice(0, MAX_DESCRIPTION_LENGTH);
        continue;
      }
      if (!raw || SAYS_UNKNOWN.test(foldText(raw))) continue;
      const value = readers[field](raw);
      if (value === undefined) unreadable.add(field);
      else placeInDraft(draft, field, value, SUBJECT_FIELDS);
    }
  }

  // The sender's province places a signal only where the mail names no municipality.
  if (facts.senderProvince && draft.municipality === UNKNOWN && draft.province === undefined) draft.province = facts.senderProvince;

  // The schema has the last word (a BSN's check digit, a province that does not fit): what it refuses is
  // left out, field by field, until the rest passes.
  let parsed = SignalInputSchema.safeParse(draft);
  for (let attempt = 0; !parsed.success && attempt < Object.keys(TEMPLATE_FIELDS).length; attempt++) {
    const fields = new Set(parsed.error.issues.map((issue) => fieldOfIssue(issue.path)));
    if (fields.has(undefined)) break;
    for (const field of fields as Set<TemplateField>) {
      unreadable.add(field);
      remove(draft, field);
      if (field === 'observedAt') draft.observedAt = fallbackDate(facts);
    }
    if (draft.subject && !Object.keys(draft.subject).length) delete draft.subject;
    parsed = SignalInputSchema.safeParse(draft);
  }
  if (!parsed.success) throw new Error(`mail signal does not validate: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);

  const input = parsed.data;
  const complete = found && input.municipality !== UNKNOWN && input.form !== UNKNOWN && unreadable.size === 0;
  return {
    input,
    status: complete ? 'ontvangen' : 'te-verrijken',
    template: found,
    unreadableFields: (Object.keys(TEMPLATE_FIELDS) as TemplateField[]).filter((f) => unreadable.has(f)).map((f) => TEMPLATE_FIELDS[f].label),
  };
}
