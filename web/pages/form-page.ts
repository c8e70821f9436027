import { HONEYPOT_FIELD, ORGANISATION_TYPES, WEB_DESCRIPTION, type WebSignalField, WebSignalSchema } from '#domain/intake/web/index.js';
import { geography, UNKNOWN } from '#domain/kernel/index.js';
import { MINORS_ANSWERS } from '#domain/signal/index.js';
import { escapeHtml } from './html.js';
import { layout } from './layout.js';

export interface FormState {
  values: Record<string, string>;
  /** The first message per field. */
  errors: Partial<Record<WebSignalField, string>>;
  /** Fields that came with the report but are not on the form: named in the error summary. */
  unknownFields?: readonly string[];
}

export const FORM_TITLE = 'Meld een vermoeden van mensenhandel';
/** Where the form posts: the public route, the same on AWS (CloudFront forwards /v1/*) and locally. */
export const FORM_ACTION = '/v1/web/signals';

const ORGANISATION_LABELS: Record<string, string> = {
  gemeente: 'Gemeente',
  politie: 'Politie',
  marechaussee: 'Koninklijke Marechaussee',
  arbeidsinspectie: 'Nederlandse Arbeidsinspectie',
  'veilig-thuis': 'Veilig Thuis',
  zorg: 'Zorg of hulpverlening',
  asielopvang: 'Asielopvang',
  'openbaar-ministerie': 'Openbaar Ministerie',
  overig: 'Een andere organisatie',
};

/** The forms of exploitation in plain language, in the order a resident most often meets them. */
export const FORM_CHOICES = [
  {
    value: 'arbeid',
    label: 'Arbeidsuitbuiting',
    hint: 'Iemand moet werken onder dwang of in erbarmelijke omstandigheden: heel lange dagen, weinig of geen loon, schulden bij de baas, paspoort ingenomen, slapen op het werk.',
  },
  {
    value: 'seksueel',
    label: 'Seksuele uitbuiting',
    hint: 'Iemand wordt gedwongen tot prostitutie of ander seksueel werk, of moet het geld dat het oplevert afstaan.',
  },
  {
    value: 'crimineel',
    label: 'Criminele uitbuiting',
    hint: 'Iemand wordt gedwongen mee te doen aan strafbare feiten, zoals drugs vervoeren, stelen of geld witwassen.',
  },
  { value: 'orgaanverwijdering', label: 'Orgaanhandel', hint: 'Iemand wordt gedwongen of misleid om een orgaan af te staan.' },
  { value: 'onbekend', label: 'Weet ik niet', hint: 'U vermoedt uitbuiting, maar weet niet welke vorm. Meld het toch: dat is genoeg.' },
] as const;

const MINORS_LABELS: Record<(typeof MINORS_ANSWERS)[number], string> = { ja: 'Ja', nee: 'Nee', 'weet-niet': 'Weet ik niet' };

/** The element an error summary links to: the field, or the first choice of a group. */
export function fieldAnchor(field: string): string {
  if (field === 'reporterType') return 'field-reporterType-burger';
  if (field === 'form') return `field-form-${FORM_CHOICES[0].value}`;
  if (field === 'minorsSuspected') return `field-minorsSuspected-${MINORS_ANSWERS[0]}`;
  return `field-${field}`;
}

/** The fields in the form's order, which is the schema's. */
const FIELD_ORDER = Object.keys(WebSignalSchema.shape) as WebSignalField[];

/** A schema issue, or one made from the API's problem pointer. */
type Issue = { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] };

/** The first message per field, from schema issues (or the API's problem pointers). */
export function errorsByField(issues: readonly Issue[]): FormState['errors'] {
  const errors: FormState['errors'] = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '') as WebSignalField;
    if (FIELD_ORDER.includes(field)) errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * The fields a report came with that the form has not got: from the schema's unrecognized keys, or from
 * the API's problem pointers (a pointer to a field the form has not got).
 */
export function unknownFieldsOf(issues: readonly Issue[]): string[] {
  const names = new Set<string>();
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys ?? []) names.add(key);
    else if (issue.path.length > 0 && !FIELD_ORDER.includes(String(issue.path[0]) as WebSignalField)) names.add(String(issue.path[0]));
  }
  return [...names];
}

/** So many unknown fields are named one by one; the rest are counted. */
const LISTED_UNKNOWN = 10;
const shortName = (name: string) => {
  const characters = [...name];
  return characters.length > 60 ? `${characters.slice(0, 60).join('')}…` : name;
};

function errorSummary(errors: FormState['errors'], unknownFields: readonly string[] = []): string {
  const fields = FIELD_ORDER.filter((f) => errors[f]);
  const count = fields.length + unknownFields.length;
  if (!count) return '';
  const items = [
    ...fields.map((f) => `<li><a class="utrecht-link" href="#${fieldAnchor(f)}">${escapeHtml(errors[f])}</a></li>`),
    // There is nothing on the page to fix: the form below has not got the field, so sending it again will do.
    ...unknownFields
      .slice(0, LISTED_UNKNOWN)
      .map(
        (name) =>
          `<li>Onbekend veld: „${escapeHtml(shortName(name))}”. Dit formulier heeft dat veld niet; hieronder staat het niet meer. Verstuur het formulier opnieuw.</li>`,
      ),
    ...(unknownFields.length > LISTED_UNKNOWN ? [`<li>En nog ${unknownFields.length - LISTED_UNKNOWN} onbekende velden.</li>`] : []),
  ].join('');
  return `<div class="utrecht-alert utrecht-alert--error error-summary" role="alert" tabindex="-1" id="foutmeldingen">
<h2 class="utrecht-heading-2">Controleer ${count === 1 ? 'dit veld' : `deze ${count} velden`}</h2>
<ul class="utrecht-unordered-list">${items}</ul>
</div>`;
}

function errorOf(state: FormState, field: WebSignalField): string {
  const message = state.errors[field];
  return message ? `<p class="utrecht-form-field-error-message" id="error-${field}">${escapeHtml(message)}</p>` : '';
}

/** aria attributes that tie a control to its hint and its error. */
function described(state: FormState, field: WebSignalField, hint = false): string {
  const ids = [hint ? `hint-${field}` : '', state.errors[field] ? `error-${field}` : ''].filter(Boolean).join(' ');
  return `${ids ? ` aria-describedby="${ids}"` : ''}${state.errors[field] ? ' aria-invalid="true"' : ''}`;
}

const invalidClass = (state: FormState, field: WebSignalField) => (state.errors[field] ? ' utrecht-form-field--invalid' : '');

function radios(
  state: FormState,
  field: WebSignalField,
  legend: string,
  choices: ReadonlyArray<{ value: string; label: string; hint?: string }>,
  hint?: string,
): string {
  const options = choices
    .map((c) => {
      const id = `field-${field}-${c.value}`;
      const checked = state.values[field] === c.value ? ' checked' : '';
      const choiceHint = c.hint ? `<p class="utrecht-form-field-description" id="${id}-hint">${escapeHtml(c.hint)}</p>` : '';
      return `<div class="utrecht-form-field utrecht-form-field--radio">
<div class="utrecht-form-field__input"><input class="utrecht-radio-button" type="radio" id="${id}" name="${field}" value="${c.value}"${checked}${c.hint ? ` aria-describedby="${id}-hint"` : ''}></div>
<div class="utrecht-form-field__label"><label class="utrecht-form-label utrecht-form-label--radio" for="${id}">${escapeHtml(c.label)}</label></div>
${choiceHint}
</div>`;
    })
    .join('\n');
  return `<fieldset class="utrecht-form-fieldset${invalidClass(state, field)}" id="field-${field}"${described(state, field, Boolean(hint))}>
<legend class="utrecht-form-fieldset__legend">${escapeHtml(legend)}</legend>
${hint ? `<p class="utrecht-form-field-description" id="hint-${field}">${escapeHtml(hint)}</p>` : ''}
${errorOf(state, field)}
${options}
</fieldset>`;
}

function textField(state: FormState, field: WebSignalField, label: string, type: string, autocomplete: string, hint?: string): string {
  return `<div class="utrecht-form-field${invalidClass(state, field)}">
<label class="utrecht-form-label" for="field-${field}">${escapeHtml(label)}</label>
${hint ? `<p class="utrecht-form-field-description" id="hint-${field}">${escapeHtml(hint)}</p>` : ''}
${errorOf(state, field)}
<input class="utrecht-textbox${state.errors[field] ? ' utrecht-textbox--invalid' : ''}" type="${type}" id="field-${field}" name="${field}" autocomplete="${autocomplete}" value="${escapeHtml(state.values[field])}"${described(state, field, Boolean(hint))}>
</div>`;
}

function select(state: FormState, field: WebSignalField, label: string, options: string, hint?: string): string {
  return `<div class="utrecht-form-field${invalidClass(state, field)}">
<label class="utrecht-form-label" for="field-${field}">${escapeHtml(label)}</label>
${hint ? `<p class="utrecht-form-field-description" id="hint-${field}">${escapeHtml(hint)}</p>` : ''}
${errorOf(state, field)}
<select class="utrecht-select${state.errors[field] ? ' utrecht-select--invalid' : ''}" id="field-${field}" name="${field}"${described(state, field, Boolean(hint))}>
${options}
</select>
</div>`;
}

const option = (value: string, label: string, selected: boolean) =>
  `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;

/** The form's content: explanation, the fields with their values and errors, and what happens with it. */
export function formMain(state: FormState = { values: {}, errors: {} }): string {
  const v = state.values;
  const region = geography.region(geography.defaultRegion)!;
  const municipalities = [
    option('', 'Kies een gemeente', !v.municipality),
    option(UNKNOWN, 'Weet ik niet', v.municipality === UNKNOWN),
    ...region.provinces.map(
      (p) =>
        `<optgroup label="${escapeHtml(p.name)}">${[...p.municipalities]
          .sort((a, b) => a.name.localeCompare(b.name, 'nl'))
          .map((m) => option(m.code, m.name, v.municipality === m.code))
          .join('')}</optgroup>`,
    ),
  ].join('\n');
  const provinces = [option('', 'Weet ik niet', !v.province), ...region.provinces.map((p) => option(p.code, p.name, v.province === p.code))].join('\n');
  const organisations = [
    option('', 'Kies een soort organisatie', !v.organisationType),
    ...ORGANISATION_TYPES.map((t) => option(t, ORGANISATION_LABELS[t] ?? t, v.organisationType === t)),
  ].join('\n');

  return `<h1 class="utrecht-heading-1">${FORM_TITLE}</h1>
<div class="utrecht-alert utrecht-alert--warning" role="note"><p class="utrecht-paragraph"><strong>Bij direct gevaar: bel 112.</strong></p></div>
<p class="utrecht-paragraph">Denkt u dat iemand wordt uitgebuit? Bijvoorbeeld mensen die dag en nacht werken voor bijna niets, met te veel in één huis wonen, hun paspoort kwijt zijn aan hun baas, of gedwongen worden tot seks of tot criminaliteit? Meld het hier. U hoeft het niet zeker te weten.</p>
<p class="utrecht-paragraph">Uw melding gaat naar de zorgcoördinatoren mensenhandel van Noord-Nederland (Groningen, Fryslân en Drenthe). Zij bekijken elke melding en bespreken met politie, gemeente en hulpverlening wat er nodig is. U mag anoniem melden: uw naam en contactgegevens zijn niet verplicht.</p>
${errorSummary(state.errors, state.unknownFields)}
<form class="signal-form" method="post" action="${FORM_ACTION}" novalidate>
${radios(state, 'reporterType', 'Wie meldt?', [
  { value: 'burger', label: 'Ik meld als bewoner of omstander' },
  { value: 'professional', label: 'Ik meld vanuit mijn werk' },
])}
${select(state, 'organisationType', 'Voor welk soort organisatie werkt u?', organisations, 'Alleen als u vanuit uw werk meldt.')}
<div class="utrecht-form-field${invalidClass(state, 'description')}">
<label class="utrecht-form-label" for="field-description">Wat hebt u gezien of gehoord?</label>
<p class="utrecht-form-field-description" id="hint-description">Beschrijf wat u opviel: wie, waar, hoe vaak. Noem liever geen namen als dat niet nodig is. Hoogstens ${WEB_DESCRIPTION.max} tekens.</p>
${errorOf(state, 'description')}
<textarea class="utrecht-textarea${state.errors.description ? ' utrecht-textarea--invalid' : ''}" id="field-description" name="description" rows="8" maxlength="${WEB_DESCRIPTION.max}"${described(state, 'description', true)}>${escapeHtml(v.description)}</textarea>
</div>
${select(state, 'municipality', 'In welke gemeente was het?', municipalities)}
${select(state, 'province', 'In welke provincie was het?', provinces, 'Alleen als u de gemeente niet weet.')}
${textField(state, 'observedAt', 'Wanneer was het?', 'date', 'off', 'De dag dat u het zag of hoorde; ongeveer is goed.')}
${radios(state, 'form', 'Om wat voor uitbuiting gaat het volgens u?', FORM_CHOICES)}
${radios(
  state,
  'minorsSuspected',
  'Lijken er kinderen of jongeren onder de 18 bij betrokken?',
  MINORS_ANSWERS.map((a) => ({ value: a, label: MINORS_LABELS[a] })),
)}
<fieldset class="utrecht-form-fieldset">
<legend class="utrecht-form-fieldset__legend">Uw contactgegevens (niet verplicht)</legend>
<p class="utrecht-form-field-description">Alleen als u wilt dat we u kunnen herkennen als u nog eens contact opneemt.</p>
${textField(state, 'contactName', 'Uw naam', 'text', 'name')}
${textField(state, 'contactPhone', 'Uw telefoonnummer', 'tel', 'tel')}
${textField(state, 'contactEmail', 'Uw e-mailadres', 'email', 'email')}
</fieldset>
<div class="honeypot" aria-hidden="true">
<label for="field-${HONEYPOT_FIELD}">Laat dit veld leeg</label>
<input type="text" id="field-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off" value="">
</div>
<h2 class="utrecht-heading-2">Wat er met uw melding gebeurt</h2>
<ul class="utrecht-unordered-list">
<li>We bewaren de melding vijf jaar, om te zien hoe vaak en waar mensenhandel voorkomt in Noord-Nederland.</li>
<li>Uw contactgegevens en alles wat u zelf schrijft, worden nooit leesbaar opgeslagen: contactgegevens alleen als onherleidbare code, uw tekst alleen versleuteld.</li>
<li>Uw internetadres gebruiken we alleen om misbruik van dit formulier te beperken; we slaan het niet op.</li>
</ul>
<button class="utrecht-button utrecht-button--primary-action" type="submit">Melding versturen</button>
</form>`;
}

export function formPage(state?: FormState): string {
  const wrong = state && (Object.keys(state.errors).length > 0 || (state.unknownFields?.length ?? 0) > 0);
  return layout(wrong ? `Fout: ${FORM_TITLE}` : FORM_TITLE, formMain(state));
}
